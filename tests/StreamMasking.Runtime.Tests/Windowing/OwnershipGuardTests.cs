using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Ownership;
using StreamMasking.Runtime.Pipeline;
using StreamMasking.Runtime.Windowing;
using StreamMasking.Testing.Kafka;

namespace StreamMasking.Runtime.Tests.Windowing;

/// <summary>
/// How the ownership guard stops the mask stage, against the fake clients (no broker): the audit event goes out on
/// a producer of its own, outside the stage's transaction, and the stop does not depend on it being delivered.
/// </summary>
public sealed class OwnershipGuardTests
{
    private const string Topic = "in";
    private const string AuditTopic = "audit";
    private const string Segment = "visits";
    private const int Partitions = 4;

    private readonly FakeKafkaClientFactory _clients = new();

    [Fact]
    public void CheckArrival_SegmentOnWrongPartition_StopsAfterAuditingOnItsOwnProducer()
    {
        var guard = Guard();
        var wrong = (SegmentPartitioner.PartitionOf(Segment, Partitions) + 1) % Partitions;

        var stopped = Should.Throw<StageStoppedException>(() => guard.CheckArrival(Segment, wrong));

        stopped.Fenced.ShouldBeFalse();
        stopped.Message.ShouldContain($"Segment '{Segment}' showed up on partition {wrong}");
        var producer = _clients.Producers.ShouldHaveSingleItem();
        producer.TransactionalId.ShouldBeNull();
        producer.Produced.ShouldHaveSingleItem().Topic.ShouldBe(AuditTopic);
        _clients.Broker.CommittedOutputs.ShouldHaveSingleItem().Topic.ShouldBe(AuditTopic);
        _clients.Failures.Calls(nameof(IProducer<byte[], byte[]>.Flush)).ShouldBe(1);
        producer.IsDisposed.ShouldBeTrue();
    }

    [Fact]
    public void CheckArrival_AuditTopicUnreachable_StillStops()
    {
        _clients.Failures.Fail(nameof(IProducer<byte[], byte[]>.Produce), onCall: 1, KafkaFailures.Plain(ErrorCode.Local_Transport));
        var guard = Guard();
        var wrong = (SegmentPartitioner.PartitionOf(Segment, Partitions) + 1) % Partitions;

        Should.Throw<StageStoppedException>(() => guard.CheckArrival(Segment, wrong)).Fenced.ShouldBeFalse();

        var producer = _clients.Producers.ShouldHaveSingleItem();
        producer.Produced.ShouldBeEmpty();
        producer.IsDisposed.ShouldBeTrue();
    }

    [Fact]
    public void CheckArrival_SegmentOnItsPartition_NeitherStopsNorProduces()
    {
        var guard = Guard();

        guard.CheckArrival(Segment, SegmentPartitioner.PartitionOf(Segment, Partitions));

        _clients.Producers.ShouldBeEmpty();
    }

    private OwnershipGuard Guard()
    {
        var ownership = new StateOwnership(Topic, "app-dp-state-changelog", [Segment]);
        ownership.CheckLayout(Partitions, Partitions).ShouldBeNull();
        var audit = new AuditEventFactory(AuditTopic, "test", new FakeTimeProvider());
        return new OwnershipGuard(ownership, "app-dp-state-changelog", audit, _clients, TimeSpan.FromSeconds(1), NullLogger.Instance);
    }
}
