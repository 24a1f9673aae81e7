using Confluent.Kafka;

namespace StreamMasking.Testing.Kafka;

/// <summary>How a fake transaction ended.</summary>
public enum FakeTransactionOutcome
{
    /// <summary>Begun, neither committed nor aborted yet.</summary>
    Open,

    /// <summary>CommitTransaction succeeded: outputs visible, offsets committed.</summary>
    Committed,

    /// <summary>AbortTransaction succeeded: outputs and offsets discarded.</summary>
    Aborted,
}

/// <summary>One record produced by a fake producer.</summary>
/// <param name="Topic">Destination topic.</param>
/// <param name="Message">Key, value and headers as produced.</param>
public sealed record FakeOutput(string Topic, Message<byte[]?, byte[]?> Message)
{
    /// <summary>The value as UTF-8 text (empty for a null value).</summary>
    public string ValueText => Message.Value is null ? string.Empty : System.Text.Encoding.UTF8.GetString(Message.Value);
}

/// <summary>What one transaction of a fake producer did: its outputs, the offsets sent with it, how it ended.</summary>
public sealed class FakeTransaction
{
    private readonly object _gate;
    private readonly List<FakeOutput> _outputs = [];
    private readonly List<(string Group, TopicPartitionOffset Offset)> _offsets = [];
    private FakeTransactionOutcome _outcome;

    internal FakeTransaction(object gate, string transactionalId, int sequence)
    {
        _gate = gate;
        TransactionalId = transactionalId;
        Sequence = sequence;
    }

    /// <summary>Transactional id of the producer.</summary>
    public string TransactionalId { get; }

    /// <summary>Position among every transaction of the factory (0 for the first begun).</summary>
    public int Sequence { get; }

    /// <summary>How the transaction ended, so far.</summary>
    public FakeTransactionOutcome Outcome
    {
        get
        {
            lock (_gate)
            {
                return _outcome;
            }
        }

        internal set => _outcome = value;
    }

    /// <summary>The records produced in the transaction.</summary>
    public IReadOnlyList<FakeOutput> Outputs
    {
        get
        {
            lock (_gate)
            {
                return [.. _outputs];
            }
        }
    }

    /// <summary>Every offset sent to the transaction (SendOffsetsToTransaction), in the order sent.</summary>
    public IReadOnlyList<TopicPartitionOffset> Offsets
    {
        get
        {
            lock (_gate)
            {
                return [.. _offsets.Select(o => o.Offset)];
            }
        }
    }

    // Mutated only under the broker's lock (FakeBroker.Locked).
    internal IEnumerable<(string Group, TopicPartitionOffset Offset)> OffsetsByGroup => _offsets;

    internal void AddOutput(FakeOutput output) => _outputs.Add(output);

    internal void AddOffsets(string group, IEnumerable<TopicPartitionOffset> offsets) =>
        _offsets.AddRange(offsets.Select(o => (group, o)));
}
