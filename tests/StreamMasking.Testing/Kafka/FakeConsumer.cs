using Confluent.Kafka;

namespace StreamMasking.Testing.Kafka;

/// <summary>
/// An in-memory subscribing consumer over a <see cref="FakeBroker"/>. Rebalances are driven by the test
/// (<see cref="RebalanceAssign"/>, <see cref="RebalanceRevoke"/>, <see cref="RebalanceLose"/>) and, as in librdkafka,
/// their handlers run inside the next <c>Consume</c> on the consuming thread; <see cref="Close"/> revokes the
/// assignment through the revoked handler. Members the runtime does not use throw <see cref="NotSupportedException"/>.
/// </summary>
public sealed partial class FakeConsumer : IConsumer<byte[]?, byte[]?>
{
    private readonly FakeBroker _broker;
    private readonly FailureScript _failures;
    private readonly RebalanceHandlers _handlers;
    private readonly string _groupId;
    private readonly bool _assignOnSubscribe;
    private readonly Dictionary<TopicPartition, FakePosition> _assignment = [];
    private readonly HashSet<TopicPartition> _paused = [];
    private List<string> _subscription = [];
    private int _generation;
    private int _nextPartition;
    private bool _closed;
    private bool _disposed;

    internal FakeConsumer(FakeBroker broker, FailureScript failures, RebalanceHandlers handlers, string groupId,
        string clientId, bool assignOnSubscribe)
    {
        _broker = broker;
        _failures = failures;
        _handlers = handlers;
        _groupId = groupId;
        _assignOnSubscribe = assignOnSubscribe;
        Name = clientId;
    }

    /// <summary>Client id the consumer was created with.</summary>
    public string Name { get; }

    /// <summary>Consumer group.</summary>
    public string GroupId => _groupId;

    /// <summary>True once <see cref="Close"/> (or <see cref="Dispose"/>) ran.</summary>
    public bool IsClosed => _broker.Locked(() => _closed);

    /// <summary>True once <see cref="Dispose"/> ran.</summary>
    public bool IsDisposed => _broker.Locked(() => _disposed);

    public List<TopicPartition> Assignment => _broker.Locked(() => _assignment.Keys.ToList());

    public List<string> Subscription => _broker.Locked(() => _subscription.ToList());

    public IConsumerGroupMetadata ConsumerGroupMetadata => _broker.Locked(() => new FakeGroupMetadata(_groupId, _generation));

    public void Subscribe(IEnumerable<string> topics)
    {
        Use(nameof(Subscribe));
        var list = topics.ToList();
        _broker.Locked(() => _subscription = list);
        if (_assignOnSubscribe)
        {
            // The only member of its group: it gets every partition of the subscribed topics.
            Request(FakeRebalanceKind.Assigned, [.. _broker.PartitionsOf(list)]);
        }
    }

    public void Subscribe(string topic) => Subscribe([topic]);

    public ConsumeResult<byte[]?, byte[]?>? Consume(TimeSpan timeout)
    {
        Use(nameof(Consume));
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            ApplyRebalances();
            var next = _broker.Locked(TakeNext);
            if (next is not null)
            {
                return next;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_broker.WaitFor(() => _pending.Count > 0 || HasRecord(), left))
            {
                return null;
            }
        }
    }

    public ConsumeResult<byte[]?, byte[]?>? Consume(int millisecondsTimeout) => Consume(TimeSpan.FromMilliseconds(millisecondsTimeout));

    public ConsumeResult<byte[]?, byte[]?> Consume(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Consume(TimeSpan.FromMilliseconds(50)) is { } result)
            {
                return result;
            }
        }
    }

    public void Seek(TopicPartitionOffset tpo)
    {
        Use(nameof(Seek));
        _broker.Locked(() =>
        {
            if (!_assignment.TryGetValue(tpo.TopicPartition, out var position))
            {
                throw new KafkaException(new Error(ErrorCode.Local_UnknownPartition, $"{tpo.TopicPartition} is not assigned"));
            }

            position.Next = Resolve(tpo.TopicPartition, tpo.Offset);
            position.Known = true;
            return true;
        });
    }

    // Like librdkafka: Unset until a record was returned or a seek made on the partition.
    public Offset Position(TopicPartition partition) => _broker.Locked(() =>
        _assignment.TryGetValue(partition, out var p) && p.Known ? new Offset(p.Next) : Offset.Unset);

    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout)
    {
        Use(nameof(Committed));
        return [.. partitions.Select(tp => new TopicPartitionOffset(tp, _broker.CommittedOffset(_groupId, tp)))];
    }

    public List<TopicPartitionOffset> Committed(TimeSpan timeout) => Committed(Assignment, timeout);

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition) =>
        new(new Offset(0), new Offset(_broker.LogLength(topicPartition)));

    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout)
    {
        Use(nameof(QueryWatermarkOffsets));
        return GetWatermarkOffsets(topicPartition);
    }

    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        var list = partitions.ToList();
        _broker.Locked(() => { _paused.UnionWith(list); return true; });
    }

    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        var list = partitions.ToList();
        _broker.Locked(() => { _paused.ExceptWith(list); return true; });
    }

    public void Assign(TopicPartition partition) => Assign([new TopicPartitionOffset(partition, Offset.Unset)]);

    public void Assign(TopicPartitionOffset partition) => Assign([partition]);

    public void Assign(IEnumerable<TopicPartition> partitions) => Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset)));

    public void Assign(IEnumerable<TopicPartitionOffset> partitions)
    {
        Use(nameof(Assign));
        var list = partitions.ToList();
        _broker.Locked(() =>
        {
            _assignment.Clear();
            AddToAssignment(list);
            return true;
        });
    }

    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions)
    {
        var list = partitions.ToList();
        _broker.Locked(() => { AddToAssignment(list); return true; });
    }

    public void IncrementalAssign(IEnumerable<TopicPartition> partitions) =>
        IncrementalAssign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset)));

    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions)
    {
        var list = partitions.ToList();
        _broker.Locked(() => { list.ForEach(p => _assignment.Remove(p)); return true; });
    }

    public void Unassign() => _broker.Locked(() => { _assignment.Clear(); return true; });

    public void Close()
    {
        if (_broker.Locked(() => _closed))
        {
            return;
        }

        Use(nameof(Close));
        // librdkafka's close leaves the group: the assignment is revoked through the handler first.
        var assigned = Assignment;
        if (Subscription.Count > 0 && assigned.Count > 0)
        {
            Apply(FakeRebalanceKind.Revoked, assigned);
        }

        _broker.Locked(() => _closed = true);
    }

    public void Dispose()
    {
        _broker.Locked(() =>
        {
            _closed = true;
            _disposed = true;
            return true;
        });
    }

    public Handle Handle => throw Unsupported();

    public string MemberId => $"{Name}-member";

    public int AddBrokers(string brokers) => throw Unsupported();

    public void SetSaslCredentials(string username, string password) => throw Unsupported();

    public void Unsubscribe() => throw Unsupported();

    public void StoreOffset(ConsumeResult<byte[]?, byte[]?> result) => throw Unsupported();

    public void StoreOffset(TopicPartitionOffset offset) => throw Unsupported();

    public List<TopicPartitionOffset> Commit() => throw Unsupported();

    public void Commit(IEnumerable<TopicPartitionOffset> offsets) => throw Unsupported();

    public void Commit(ConsumeResult<byte[]?, byte[]?> result) => throw Unsupported();

    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) =>
        throw Unsupported();

    private static NotSupportedException Unsupported([System.Runtime.CompilerServices.CallerMemberName] string member = "") =>
        new($"{nameof(FakeConsumer)}.{member} is not implemented by the fake consumer.");

    // Counts the call for the failure script; a closed consumer refuses work like the real one.
    private void Use(string method)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (IsClosed)
        {
            throw new KafkaException(new Error(ErrorCode.Local_State, $"{method} on a closed consumer"));
        }

        _failures.Call(method);
    }

    private void AddToAssignment(IEnumerable<TopicPartitionOffset> offsets)
    {
        foreach (var tpo in offsets)
        {
            _assignment[tpo.TopicPartition] = new FakePosition { Next = Resolve(tpo.TopicPartition, tpo.Offset) };
        }
    }

    // Where reading starts: an explicit offset, else the group's committed offset, else the earliest (offset 0).
    private long Resolve(TopicPartition partition, Offset offset)
    {
        if (offset == Offset.End)
        {
            return _broker.LogLength(partition);
        }

        if (offset.Value >= 0)
        {
            return offset.Value;
        }

        var committed = _broker.CommittedOffset(_groupId, partition);
        return committed.Value >= 0 ? committed.Value : 0;
    }

    private bool HasRecord() => _assignment.Any(a => !_paused.Contains(a.Key) && a.Value.Next < _broker.LogLength(a.Key));

    // The next record of the assigned, unpaused partitions, taken in turn so that none starves.
    private ConsumeResult<byte[]?, byte[]?>? TakeNext()
    {
        var partitions = _assignment.Keys.ToList();
        for (var i = 0; i < partitions.Count; i++)
        {
            var tp = partitions[(_nextPartition + i) % partitions.Count];
            var position = _assignment[tp];
            if (_paused.Contains(tp) || _broker.Read(tp, position.Next) is not { } message)
            {
                continue;
            }

            _nextPartition = (_nextPartition + i + 1) % partitions.Count;
            var result = new ConsumeResult<byte[]?, byte[]?>
            {
                TopicPartitionOffset = new TopicPartitionOffset(tp, new Offset(position.Next)),
                Message = message,
            };
            position.Next++;
            position.Known = true;
            return result;
        }

        return null;
    }

    private sealed class FakePosition
    {
        internal long Next { get; set; }

        internal bool Known { get; set; }
    }
}
