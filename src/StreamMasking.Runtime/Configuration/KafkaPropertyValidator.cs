using Confluent.Kafka;

namespace StreamMasking.Runtime.Configuration;

/// <summary>
/// Lets librdkafka judge the pass-through properties at start (unknown names, bad enum values, unreadable
/// certificate files), so a typo fails the start with the key named instead of surfacing later as a connection
/// failure. Builds throw-away clients that never connect anywhere.
/// </summary>
internal static class KafkaPropertyValidator
{
    // A bootstrap address nobody listens on: building a client does not connect synchronously.
    private const string ProbeBootstrap = "127.0.0.1:9";

    /// <summary>Returns the properties librdkafka rejects, each named by its configuration key.</summary>
    internal static IReadOnlyList<OptionsError> Validate(IReadOnlyDictionary<string, string> properties, string sectionKey)
    {
        if (properties.Count == 0 || TryBuild(properties) is null)
        {
            return [];
        }

        // Something is wrong: probe key by key to name it.
        var errors = new List<OptionsError>();
        foreach (var (key, value) in properties)
        {
            var single = new Dictionary<string, string>(StringComparer.Ordinal) { [key] = value };
            if (TryBuild(single) is { } problem)
            {
                errors.Add(new OptionsError($"{sectionKey}:{key}", problem));
            }
        }

        if (errors.Count == 0)
        {
            // Each key alone is fine; the combination is not (e.g. sasl.mechanism without security.protocol).
            errors.Add(new OptionsError(sectionKey, TryBuild(properties) ?? "invalid combination of properties"));
        }

        return errors;
    }

    private static string? TryBuild(IReadOnlyDictionary<string, string> properties)
    {
        var config = new ProducerConfig { BootstrapServers = ProbeBootstrap };
        foreach (var (key, value) in properties)
        {
            config.Set(KafkaProperties.NormalizeKey(key), value);
        }

        try
        {
            using var producer = new ProducerBuilder<byte[], byte[]>(config)
                .SetLogHandler(static (_, _) => { })
                .SetErrorHandler(static (_, _) => { })
                .Build();
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
        catch (KafkaException e)
        {
            return e.Error.Reason;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }
}
