using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Windowing;
using StreamMasking.Testing.Kafka;

namespace StreamMasking.Runtime.Tests.Windowing;

/// <summary>
/// How the ownership guard stops the mask stage, against the fake clients (no broker): the partition counts it reads,
/// the audit event it sends on a producer of its own (outside the stage's transaction), and that the stop does not
/// depend on that event being delivered.
/// </summary>
public sealed class OwnershipGuardTests
{
    private const string Topic = "in";
    private const string AuditTopic = "audit";
    private const string Segment = "visits";
    private const string Changelog = "app-dp-state-changelog";
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

    [Fact]
    public void CheckLayout_InputRepartitionedUnderState_StopsNamingTopicAndCounts()
    {
        _clients.Broker.CreateTopic(Topic, 5);
        _clients.Broker.CreateTopic(Changelog, 3);
        var guard = Guard(layoutKnown: false);

        var stopped = Should.Throw<StageStoppedException>(guard.CheckLayout);

        stopped.Message.ShouldContain($"Topic '{Topic}' has 5 partitions but its DP state was kept for 3");
        _clients.AdminClients.ShouldHaveSingleItem().IsDisposed.ShouldBeTrue();
        _clients.Producers.ShouldHaveSingleItem().Produced.ShouldHaveSingleItem().Topic.ShouldBe(AuditTopic);
    }

    [Fact]
    public void CheckLayout_SameCountOrNoChangelogYet_DoesNotStop()
    {
        _clients.Broker.CreateTopic(Topic, Partitions);
        Guard(layoutKnown: false).CheckLayout();

        _clients.Broker.CreateTopic(Changelog, Partitions);
        Guard(layoutKnown: false).CheckLayout();

        _clients.Producers.ShouldBeEmpty();
    }

    [Fact]
    public void CheckLayout_MetadataUnreadable_AsksThreeTimesPerTopicThenStops()
    {
        _clients.Broker.CreateTopic(Topic, Partitions);
        _clients.Failures.Fail(nameof(IAdminClient.GetMetadata), onCall: 1, KafkaFailures.Plain(ErrorCode.Local_Transport), times: 6);
        var guard = Guard(layoutKnown: false);

        var stopped = Should.Throw<StageStoppedException>(guard.CheckLayout);

        stopped.Message.ShouldContain($"Cannot read the partition count of topic '{Topic}'");
        _clients.Failures.Calls(nameof(IAdminClient.GetMetadata)).ShouldBe(6);
    }

    private OwnershipGuard Guard(bool layoutKnown = true)
    {
        var ownership = new StateOwnership(Topic, Changelog, [Segment]);
        if (layoutKnown)
        {
            ownership.CheckLayout(Partitions, Partitions).ShouldBeNull();
        }

        var audit = new AuditEventWriter(AuditTopic, "test", new FakeTimeProvider());
        return new OwnershipGuard(ownership, Changelog, audit, _clients, TimeSpan.FromSeconds(1), NullLogger.Instance);
    }
}
