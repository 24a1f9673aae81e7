using StreamMasking.Core.Policy;

namespace StreamMasking.Runtime.Configuration;

/// <summary>
/// Validates <see cref="StreamMaskingOptions"/> at start so that a bad setting stops the service before anything
/// flows, with a message naming the key.
/// </summary>
public static class StreamMaskingOptionsValidator
{
    private const string Root = StreamMaskingOptions.SectionName;

    /// <summary>Returns every invalid setting (empty when valid). Does not contact Kafka.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="requireBootstrapServers">Whether an empty bootstrap list is an error (false when an embedded broker will be started).</param>
    public static IReadOnlyList<OptionsError> Validate(StreamMaskingOptions options, bool requireBootstrapServers)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<OptionsError>();
        var p = options.Pipeline;
        if (requireBootstrapServers && string.IsNullOrWhiteSpace(options.Kafka.BootstrapServers))
        {
            errors.Add(new($"{Root}:Kafka:BootstrapServers", "is required (or set KAFKA_BOOTSTRAP_SERVERS)"));
        }

        if (string.IsNullOrWhiteSpace(options.Kafka.ClientIdPrefix))
        {
            errors.Add(new($"{Root}:Kafka:ClientIdPrefix", "must not be empty"));
        }

        errors.AddRange(KafkaProperties.ValidateKeys(options.Kafka.Properties, $"{Root}:Kafka:Properties"));

        if (p.InputTopics.Count == 0)
        {
            errors.Add(new($"{Root}:Pipeline:InputTopics", "at least one input topic is required"));
        }

        for (var i = 0; i < p.InputTopics.Count; i++)
        {
            CheckTopicName(errors, $"{Root}:Pipeline:InputTopics:{i}", p.InputTopics[i]);
        }

        errors.AddRange(Serialization.InputFormatsValidator.Validate(options, Root));
        CheckName(errors, $"{Root}:Pipeline:ConsumerGroupId", p.ConsumerGroupId);
        CheckName(errors, $"{Root}:Pipeline:TransactionalIdPrefix", p.TransactionalIdPrefix);
        CheckName(errors, $"{Root}:Pipeline:InstanceId", p.InstanceId);
        if (!p.InputKeyedBySegment)
        {
            CheckTopicName(errors, $"{Root}:Pipeline:RepartitionTopic", p.RepartitionTopic);
            if (p.InputTopics.Contains(p.RepartitionTopic, StringComparer.Ordinal))
            {
                errors.Add(new($"{Root}:Pipeline:RepartitionTopic", "must differ from every input topic"));
            }
        }

        if (p.StreamThreads is < 1 or > 32)
        {
            errors.Add(new($"{Root}:Pipeline:StreamThreads", "must be between 1 and 32"));
        }

        if (p.BatchMaxRecords is < 1 or > 100_000)
        {
            errors.Add(new($"{Root}:Pipeline:BatchMaxRecords", "must be between 1 and 100000"));
        }

        CheckDuration(errors, $"{Root}:Pipeline:BatchMaxInterval", p.BatchMaxInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(5));
        CheckDuration(errors, $"{Root}:Pipeline:ConsumeTimeout", p.ConsumeTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));
        CheckDuration(errors, $"{Root}:Pipeline:TransactionTimeout", p.TransactionTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15));
        CheckDuration(errors, $"{Root}:Pipeline:OperationTimeout", p.OperationTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        CheckDuration(errors, $"{Root}:Pipeline:RetryBackoff", p.RetryBackoff, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        CheckDuration(errors, $"{Root}:Pipeline:RepartitionPurgeInterval", p.RepartitionPurgeInterval, TimeSpan.Zero, TimeSpan.FromDays(1));
        CheckDuration(errors, $"{Root}:Topics:RepartitionRetention", options.Topics.RepartitionRetention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(3650));
        if (options.Topics.RepartitionRetentionBytes is 0 or < -1)
        {
            errors.Add(new($"{Root}:Topics:RepartitionRetentionBytes", "must be -1 (no size bound) or positive"));
        }
        CheckDuration(errors, $"{Root}:Pipeline:MaxTaskIdle", p.MaxTaskIdle, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        if (p.InputBufferMaxBytes is < 1024 * 1024 or > 16L * 1024 * 1024 * 1024)
        {
            errors.Add(new($"{Root}:Pipeline:InputBufferMaxBytes", "must be between 1048576 (1 MiB) and 17179869184 (16 GiB)"));
        }

        if (p.BatchMaxInterval >= p.TransactionTimeout)
        {
            errors.Add(new($"{Root}:Pipeline:BatchMaxInterval", "must be shorter than Pipeline:TransactionTimeout"));
        }

        if (options.Topics.Partitions is < 1 or > 10_000)
        {
            errors.Add(new($"{Root}:Topics:Partitions", "must be between 1 and 10000"));
        }

        if (options.Topics.ReplicationFactor is 0 or < -1)
        {
            errors.Add(new($"{Root}:Topics:ReplicationFactor", "must be -1 (broker default) or positive"));
        }

        CheckTopicName(errors, $"{Root}:DeadLetters:Topic", options.DeadLetters.Topic);
        if (p.InputTopics.Contains(options.DeadLetters.Topic, StringComparer.Ordinal))
        {
            errors.Add(new($"{Root}:DeadLetters:Topic", "must differ from every input topic"));
        }

        CheckTopicName(errors, $"{Root}:Aggregates:Topic", options.Aggregates.Topic);
        errors.AddRange(Serialization.OutputFormatsValidator.Validate(options, Root));
        CheckTopicName(errors, $"{Root}:Audit:Topic", options.Audit.Topic);
        var outputs = new[] { ("Aggregates:Topic", options.Aggregates.Topic), ("Audit:Topic", options.Audit.Topic) };
        foreach (var (key, topic) in outputs)
        {
            if (p.InputTopics.Contains(topic, StringComparer.Ordinal) || topic == options.DeadLetters.Topic
                || (!p.InputKeyedBySegment && topic == p.RepartitionTopic))
            {
                errors.Add(new($"{Root}:{key}", "must differ from the input, repartition and dead-letter topics"));
            }
        }

        if (options.Aggregates.Topic == options.Audit.Topic)
        {
            errors.Add(new($"{Root}:Audit:Topic", "must differ from Aggregates:Topic"));
        }

        CheckName(errors, $"{Root}:State:Directory", options.State.Directory);
        if (options.State.CheckpointAfterRecords < 1)
        {
            errors.Add(new($"{Root}:State:CheckpointAfterRecords", "must be at least 1"));
        }

        CheckDuration(errors, $"{Root}:State:TickInterval", options.State.TickInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));

        if (string.IsNullOrWhiteSpace(options.Policy.File))
        {
            errors.Add(new($"{Root}:Policy:File", "is required"));
        }

        if (string.IsNullOrWhiteSpace(options.Secrets.MasterSecretFile)
            && string.IsNullOrWhiteSpace(options.Secrets.MasterSecretEnvironmentVariable))
        {
            errors.Add(new($"{Root}:Secrets", "set MasterSecretFile or MasterSecretEnvironmentVariable"));
        }

        if (options.Http.Port is < 0 or > 65535)
        {
            errors.Add(new($"{Root}:Http:Port", "must be between 0 and 65535"));
        }

        if (!System.Net.IPAddress.TryParse(options.Http.BindAddress, out _))
        {
            errors.Add(new($"{Root}:Http:BindAddress", "must be an IP address (127.0.0.1, 0.0.0.0, ::)"));
        }

        if (options.Http.LivenessTimeout <= TimeSpan.Zero)
        {
            errors.Add(new($"{Root}:Http:LivenessTimeout", "must be positive"));
        }

        if (options.Metrics.MaxSegmentLabels is < 1 or > 10_000)
        {
            errors.Add(new($"{Root}:Metrics:MaxSegmentLabels", "must be between 1 and 10000"));
        }

        return errors;
    }

    /// <summary>
    /// Returns every invalid setting of a start with <paramref name="policy"/> (empty when valid): the options
    /// alone, the librdkafka pass-through properties as librdkafka judges them, and, with a policy, the settings the
    /// policy makes invalid (<see cref="PolicyOptionsValidator"/>). Does not contact Kafka.
    /// </summary>
    /// <param name="options">The options to check.</param>
    /// <param name="policy">The loaded policy, or null when it could not be loaded (its own diagnostics say why).</param>
    /// <param name="requireBootstrapServers">Whether an empty bootstrap list is an error.</param>
    public static IReadOnlyList<OptionsError> ValidateForStart(StreamMaskingOptions options, PrivacyPolicy? policy, bool requireBootstrapServers)
    {
        var errors = Validate(options, requireBootstrapServers).ToList();
        // librdkafka judges the pass-through properties by building throw-away clients, which read the certificate
        // files they name: not a pure check of values, so it is not part of Validate. Skipped when a property key is
        // refused already (the client would refuse the same key again).
        var properties = $"{Root}:Kafka:Properties";
        if (!errors.Any(e => e.Key.StartsWith(properties, StringComparison.Ordinal)))
        {
            errors.AddRange(KafkaPropertyValidator.Validate(options.Kafka.Properties, properties));
        }

        if (policy is not null)
        {
            errors.AddRange(PolicyOptionsValidator.Validate(options, policy));
        }

        return errors;
    }

    /// <summary>Throws <see cref="StreamMaskingConfigurationException"/> listing every invalid setting.</summary>
    public static void ThrowIfInvalid(StreamMaskingOptions options, bool requireBootstrapServers)
    {
        var errors = Validate(options, requireBootstrapServers);
        if (errors.Count > 0)
        {
            throw new StreamMaskingConfigurationException(errors);
        }
    }

    private static void CheckName(List<OptionsError> errors, string key, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(key, "must not be empty"));
        }
    }

    private static void CheckTopicName(List<OptionsError> errors, string key, string? value)
    {
        if (!TopicNameRules.IsValid(value, out var problem))
        {
            errors.Add(new(key, problem));
        }
    }

    private static void CheckDuration(List<OptionsError> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add(new(key, $"must be between {min} and {max}"));
        }
    }
}
