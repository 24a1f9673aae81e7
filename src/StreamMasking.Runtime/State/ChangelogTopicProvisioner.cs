using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace StreamMasking.Runtime.State;

/// <summary>
/// Creates changelog topics through the AdminClient (works on the local broker and on a real Kafka): compacted,
/// so the latest value per key is kept forever and a restore reads at most one record per live key plus the
/// uncompacted tail; as many partitions as the input, since changelog partition = input partition.
/// </summary>
internal static class ChangelogTopicProvisioner
{
    /// <summary>
    /// Ensures each topic exists with at least <paramref name="partitions"/> partitions. An existing topic is
    /// accepted (another instance may have created it first); one with too few partitions is an error.
    /// A replication factor of -1 means the broker's default.
    /// </summary>
    internal static async Task EnsureAsync(IAdminClient admin, IReadOnlyCollection<string> topics, int partitions,
        short replicationFactor, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        if (topics.Count == 0)
        {
            return;
        }

        var specs = topics.Select(topic => new TopicSpecification
        {
            Name = topic,
            NumPartitions = partitions,
            ReplicationFactor = replicationFactor,
            Configs = new Dictionary<string, string>(StringComparer.Ordinal) { ["cleanup.policy"] = "compact" },
        }).ToList();
        try
        {
            await admin.CreateTopicsAsync(specs, new CreateTopicsOptions { RequestTimeout = timeout, OperationTimeout = timeout });
        }
        catch (CreateTopicsException e)
        {
            var failed = e.Results.Where(r => r.Error.IsError && r.Error.Code != ErrorCode.TopicAlreadyExists).ToList();
            if (failed.Count > 0)
            {
                throw new InvalidOperationException("Cannot create changelog topics: "
                    + string.Join("; ", failed.Select(r => $"{r.Topic}: {r.Error.Code} {r.Error.Reason}")), e);
            }
        }

        foreach (var topic in topics)
        {
            var found = admin.GetMetadata(topic, timeout).Topics.SingleOrDefault(t => t.Topic == topic);
            var count = found is null || found.Error.IsError ? 0 : found.Partitions.Count;
            if (count < partitions)
            {
                throw new InvalidOperationException(
                    $"Changelog topic '{topic}' has {count} partitions; the input has {partitions}. "
                    + "Delete it (local state is restored from scratch) or add partitions.");
            }
        }
    }
}
