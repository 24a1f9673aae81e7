using Confluent.Kafka;

namespace StreamMasking.Testing.Kafka;

/// <summary>The fake consumer's rebalances: requested by the test, applied (handlers called) inside Consume.</summary>
public sealed partial class FakeConsumer
{
    private readonly Queue<(FakeRebalanceKind Kind, List<TopicPartition> Partitions)> _pending = new();
    private readonly List<(FakeRebalanceKind Kind, IReadOnlyList<TopicPartition> Partitions)> _rebalances = [];

    /// <summary>Rebalances requested and not yet applied by a Consume call.</summary>
    public int RebalancesPending => _broker.Locked(() => _pending.Count);

    /// <summary>The rebalances applied, in order (handler called, then the assignment changed).</summary>
    public IReadOnlyList<(FakeRebalanceKind Kind, IReadOnlyList<TopicPartition> Partitions)> Rebalances =>
        _broker.Locked(() => _rebalances.ToList());

    /// <summary>Asks the group to assign <paramref name="partitions"/> to this consumer (applied in the next Consume).</summary>
    public void RebalanceAssign(params TopicPartition[] partitions) => Request(FakeRebalanceKind.Assigned, partitions);

    /// <summary>Asks the group to revoke <paramref name="partitions"/> from this consumer (applied in the next Consume).</summary>
    public void RebalanceRevoke(params TopicPartition[] partitions) => Request(FakeRebalanceKind.Revoked, partitions);

    /// <summary>Makes this consumer lose <paramref name="partitions"/> (applied in the next Consume).</summary>
    public void RebalanceLose(params TopicPartition[] partitions) => Request(FakeRebalanceKind.Lost, partitions);

    private void Request(FakeRebalanceKind kind, TopicPartition[] partitions) =>
        _broker.Locked(() => { _pending.Enqueue((kind, partitions.ToList())); return true; });

    // The handlers run outside the broker's lock: they commit through the producer, partly on other threads.
    private void ApplyRebalances()
    {
        while (_broker.Locked(() => _pending.Count > 0 ? _pending.Dequeue() : default) is { Partitions: not null } request)
        {
            Apply(request.Kind, request.Partitions);
        }
    }

    private void Apply(FakeRebalanceKind kind, List<TopicPartition> partitions)
    {
        if (kind == FakeRebalanceKind.Assigned)
        {
            _broker.Locked(() => ++_generation);
            var offsets = _handlers.Assigned?.Invoke(this, partitions).ToList()
                ?? [.. partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset))];
            _broker.Locked(() => { AddToAssignment(offsets); return true; });
        }
        else
        {
            var withPositions = partitions.Select(p => new TopicPartitionOffset(p, Position(p))).ToList();
            var handler = kind == FakeRebalanceKind.Lost ? _handlers.Lost ?? _handlers.Revoked : _handlers.Revoked;
            handler?.Invoke(this, withPositions);
            _broker.Locked(() => { partitions.ForEach(p => _assignment.Remove(p)); return true; });
        }

        _broker.Locked(() => { _rebalances.Add((kind, partitions)); return true; });
    }
}
