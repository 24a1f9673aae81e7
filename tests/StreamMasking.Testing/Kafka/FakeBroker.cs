using Confluent.Kafka;

namespace StreamMasking.Testing.Kafka;

/// <summary>
/// The in-memory state behind the fake clients of one <see cref="FakeKafkaClientFactory"/>: the records fed per
/// partition, the offsets committed per consumer group, and the outputs of committed and aborted transactions.
/// One lock guards it all; every change wakes <see cref="WaitUntil"/> and consumers waiting for records.
/// </summary>
public sealed class FakeBroker
{
    // A monitor, not a System.Threading.Lock: consumers and tests wait on it (Monitor.Wait).
    private readonly object _gate = new();
    private readonly Dictionary<TopicPartition, List<Message<byte[]?, byte[]?>>> _logs = [];
    private readonly Dictionary<(string Group, TopicPartition Partition), long> _committed = [];
    private readonly List<FakeTransaction> _transactions = [];
    private readonly List<FakeOutput> _plain = [];

    /// <summary>Creates <paramref name="topic"/> with <paramref name="partitions"/> empty partitions (idempotent).</summary>
    public void CreateTopic(string topic, int partitions)
    {
        lock (_gate)
        {
            for (var p = 0; p < partitions; p++)
            {
                _logs.TryAdd(new TopicPartition(topic, p), []);
            }
        }
    }

    /// <summary>Appends records with these values (null keys) to a partition, creating it if needed.</summary>
    public void Feed(string topic, int partition, params string[] values) =>
        Feed(topic, partition, values.Select(v => new Message<byte[]?, byte[]?> { Value = System.Text.Encoding.UTF8.GetBytes(v) }).ToArray());

    /// <summary>Appends <paramref name="messages"/> to a partition, creating it if needed.</summary>
    public void Feed(string topic, int partition, params Message<byte[]?, byte[]?>[] messages)
    {
        lock (_gate)
        {
            var tp = new TopicPartition(topic, partition);
            if (!_logs.TryGetValue(tp, out var log))
            {
                _logs[tp] = log = [];
            }

            log.AddRange(messages);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The partitions of <paramref name="topics"/> known to the broker, in topic then partition order.</summary>
    public IReadOnlyList<TopicPartition> PartitionsOf(IEnumerable<string> topics)
    {
        var wanted = topics.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            return [.. _logs.Keys.Where(tp => wanted.Contains(tp.Topic)).OrderBy(tp => tp.Topic, StringComparer.Ordinal)
                .ThenBy(tp => tp.Partition.Value)];
        }
    }

    /// <summary>Commits <paramref name="offset"/> for <paramref name="group"/>, as a previous owner's transaction would have.</summary>
    public void CommitOffset(string group, TopicPartitionOffset offset) => Locked(() =>
    {
        _committed[(group, offset.TopicPartition)] = offset.Offset.Value;
        return true;
    });

    /// <summary>The offset <paramref name="group"/> committed for <paramref name="partition"/>, else <see cref="Offset.Unset"/>.</summary>
    public Offset CommittedOffset(string group, TopicPartition partition)
    {
        lock (_gate)
        {
            return _committed.TryGetValue((group, partition), out var offset) ? new Offset(offset) : Offset.Unset;
        }
    }

    /// <summary>Every transaction any producer of the factory began, in the order they began.</summary>
    public IReadOnlyList<FakeTransaction> Transactions
    {
        get
        {
            lock (_gate)
            {
                return [.. _transactions];
            }
        }
    }

    /// <summary>
    /// What a read_committed consumer would see: the records of plain producers, then those of committed
    /// transactions in the order the transactions began.
    /// </summary>
    public IReadOnlyList<FakeOutput> CommittedOutputs
    {
        get
        {
            lock (_gate)
            {
                return [.. _plain, .. _transactions.Where(t => t.Outcome == FakeTransactionOutcome.Committed).SelectMany(t => t.Outputs)];
            }
        }
    }

    /// <summary>Blocks until <paramref name="condition"/> holds (checked on every change) or throws after <paramref name="timeout"/>.</summary>
    public void WaitUntil(Func<bool> condition, TimeSpan timeout, string? what = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (!condition())
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"Not reached within {timeout}: {what ?? "condition"}");
                }

                // Woken by every change; the timed wait also covers conditions on state outside the broker.
                Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(20) ? left : TimeSpan.FromMilliseconds(20));
            }
        }
    }

    internal int LogLength(TopicPartition partition)
    {
        lock (_gate)
        {
            return _logs.TryGetValue(partition, out var log) ? log.Count : 0;
        }
    }

    internal Message<byte[]?, byte[]?>? Read(TopicPartition partition, long offset)
    {
        lock (_gate)
        {
            return _logs.TryGetValue(partition, out var log) && offset >= 0 && offset < log.Count ? log[(int)offset] : null;
        }
    }

    // Waits until ready() holds (checked under the lock, so no change is missed) at most timeout; false when it did not.
    internal bool WaitFor(Func<bool> ready, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (!ready())
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }

                Monitor.Wait(_gate, left);
            }

            return true;
        }
    }

    internal void Notify()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    internal T Locked<T>(Func<T> action)
    {
        lock (_gate)
        {
            var result = action();
            Monitor.PulseAll(_gate);
            return result;
        }
    }

    internal void AddPlain(FakeOutput output) => Locked(() =>
    {
        _plain.Add(output);
        return true;
    });

    internal FakeTransaction Begin(string transactionalId) => Locked(() =>
    {
        var transaction = new FakeTransaction(_gate, transactionalId, _transactions.Count);
        _transactions.Add(transaction);
        return transaction;
    });

    internal void Complete(FakeTransaction transaction, FakeTransactionOutcome outcome) => Locked(() =>
    {
        transaction.Outcome = outcome;
        if (outcome == FakeTransactionOutcome.Committed)
        {
            foreach (var (group, offset) in transaction.OffsetsByGroup)
            {
                _committed[(group, offset.TopicPartition)] = offset.Offset.Value;
            }
        }

        return true;
    });
}
