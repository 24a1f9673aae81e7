using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Tests.State;

public sealed class StateStoreParticipantTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly InMemoryChangelog _changelog = new();

    [Fact]
    public void Callbacks_LoopSequence_OpenOnlySourcePartitionsAndFollowOutcomes()
    {
        using var participant = Create();

        participant.OnPartitionsAssigned([new TopicPartition("input", 1), new TopicPartition("other", 0)]);
        participant.Store("ledger", 1).Put(Bytes.Of("a"), Bytes.Of("1"));
        _changelog.Commit();
        participant.OnCommitted();
        participant.Store("ledger", 1).Put(Bytes.Of("b"), Bytes.Of("2"));
        _changelog.Abort();
        participant.OnAborted();

        Should.Throw<InvalidOperationException>(() => participant.Store("ledger", 0));
        Bytes.Texts(participant.Store("ledger", 1).Range(KeyRange.All)).ShouldBe([("a", "1")]);
        participant.OnPartitionsRevoked([new TopicPartition("input", 1)]);
        Should.Throw<InvalidOperationException>(() => participant.Store("ledger", 1));
    }

    [Fact]
    public void OnPartitionsLost_AfterAbort_ClosesAndReassignRestores()
    {
        using var participant = Create();
        participant.OnPartitionsAssigned([new TopicPartition("input", 0)]);
        participant.Store("ledger", 0).Put(Bytes.Of("a"), Bytes.Of("1"));
        _changelog.Commit();
        participant.OnCommitted();

        participant.OnPartitionsLost([new TopicPartition("input", 0)]);
        participant.OnPartitionsAssigned([new TopicPartition("input", 0)]);

        Bytes.Text(participant.Store("ledger", 0).Get(Bytes.Of("a"))).ShouldBe("1");
    }

    public void Dispose() => _dir.Dispose();

    private StateStoreParticipant Create()
    {
        var options = new StateStoreOptions { StateDirectory = _dir.Path, ApplicationId = "app" };
        var manager = new StateStoreManager(options, ["ledger"], _changelog, _changelog, null, null, TimeProvider.System,
            NullLogger.Instance);
        return new StateStoreParticipant(manager, "input", CancellationToken.None);
    }
}
