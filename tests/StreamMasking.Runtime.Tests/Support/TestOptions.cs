using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Runtime.Tests.Support;

/// <summary>Pipeline options over topics, group and transactional ids all named after one test prefix.</summary>
internal static class TestOptions
{
    internal static StreamMaskingOptions For(string bootstrapServers, string prefix, string policyFile,
        string instanceId = "i1", int batchMaxRecords = 50, string? stateDirectory = null,
        IReadOnlyDictionary<string, string>? kafkaProperties = null)
    {
        var options = new StreamMaskingOptions
        {
            Kafka = { BootstrapServers = bootstrapServers },
            Pipeline =
            {
                InputTopics = [prefix + ".in"],
                ConsumerGroupId = prefix,
                TransactionalIdPrefix = prefix,
                InstanceId = instanceId,
                RepartitionTopic = prefix + ".repartition",
                BatchMaxRecords = batchMaxRecords,
                BatchMaxInterval = TimeSpan.FromMilliseconds(100),
                RetryBackoff = TimeSpan.FromMilliseconds(50),
            },
            DeadLetters = { Topic = prefix + ".dlq" },
            Aggregates = { Topic = prefix + ".aggregates" },
            Audit = { Topic = prefix + ".audit" },
            Topics = { Partitions = 3, ProvisionInputTopics = true },
            Policy = { File = policyFile },
        };
        if (stateDirectory is not null)
        {
            options.State = new StateOptions { Directory = stateDirectory, TickInterval = TimeSpan.FromMilliseconds(100) };
        }

        foreach (var (key, value) in kafkaProperties ?? new Dictionary<string, string>())
        {
            options.Kafka.Properties[key] = value;
        }

        return options;
    }
}
