using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Serialization;
using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// Stops the mask stage when the DP state is not owned here (<see cref="StateOwnership"/>): each check throws a
/// <see cref="StageStoppedException"/> naming the topic and segment after one log line and a best-effort audit event.
/// </summary>
internal sealed class OwnershipGuard(
    StateOwnership ownership,
    string changelogTopic,
    AuditEventWriter audit,
    IKafkaClientFactory clients,
    TimeSpan operationTimeout,
    ILogger logger)
{
    /// <summary>At assignment: the input's partition count must be the one the state was kept for.</summary>
    internal void CheckLayout()
    {
        using var admin = clients.CreateAdminClient("dp-ownership");
        var input = TopicLayout.PartitionCount(admin, ownership.Topic, operationTimeout);
        var changelog = TopicLayout.PartitionCount(admin, changelogTopic, operationTimeout);
        if (ownership.CheckLayout(input, Math.Max(changelog, 0)) is { } layout)
        {
            throw Stop(layout);
        }
    }

    /// <summary>After a restore: every segment's state in <paramref name="store"/> must be on the partition its key maps to.</summary>
    internal void CheckStore(IKeyValueStore store, int partition, IEnumerable<string> segmentsWithState)
    {
        if (ownership.CheckStore(store, partition, segmentsWithState) is { } violation)
        {
            throw Stop(violation);
        }
    }

    /// <summary>When a segment first shows up on a partition: its key must map there, or it would get a second ledger.</summary>
    internal void CheckArrival(string segment, int partition)
    {
        if (ownership.CheckArrival(segment, partition) is { } violation)
        {
            throw Stop(violation);
        }
    }

    /// <summary>The ownership record that state first written on <paramref name="partition"/> persists.</summary>
    internal byte[] RecordFor(int partition) => ownership.RecordFor(partition);

    // Fail closed on an ownership violation: one log line, an audit event written outside the (aborted) transaction
    // on a best-effort basis, then the stage stops. Nothing of the open transaction is committed.
    private StageStoppedException Stop(OwnershipViolation violation)
    {
        logger.OwnershipViolated(StageNames.Mask, violation.Code, violation.Message);
        try
        {
            var record = audit.OwnershipViolated(StageNames.Mask, violation.Topic, violation.Segment, violation.Partition,
                violation.Code, violation.Message);
            using var producer = clients.CreateProducer("dp-ownership-audit");
            producer.Produce(record.Topic, record.Message);
            producer.Flush(operationTimeout);
        }
        catch (Exception e) when (e is KafkaException or SchemaRegistryUnavailableException or StageStoppedException)
        {
            // The audit topic (or, in Avro, its schema registry) is unreachable, or the event cannot be encoded (logged):
            // the log line and the ownership stop still say why.
        }

        return new StageStoppedException(violation.Message, fenced: false);
    }
}
