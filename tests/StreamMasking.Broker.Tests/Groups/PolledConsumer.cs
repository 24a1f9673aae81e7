using Confluent.Kafka;

namespace StreamMasking.Broker.Tests.Groups;

/// <summary>A subscribed consumer polled on its own thread (librdkafka rebalances only progress while polling).</summary>
internal sealed class PolledConsumer : IDisposable
{
    private readonly IConsumer<string, string> _consumer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _sync = new();
    private readonly HashSet<int> _assigned = [];
    private int _revokedCount;
    private int _lostCount;
    private bool _disposed;

    public PolledConsumer(ConsumerConfig config, string topic)
    {
        _consumer = new ConsumerBuilder<string, string>(config)
            .SetPartitionsAssignedHandler((_, parts) => Update(parts, add: true))
            .SetPartitionsRevokedHandler((_, parts) =>
            {
                Interlocked.Add(ref _revokedCount, parts.Count);
                Update(parts.Select(p => p.TopicPartition).ToList(), add: false);
            })
            .SetPartitionsLostHandler((_, parts) =>
            {
                Interlocked.Add(ref _lostCount, parts.Count);
                Update(parts.Select(p => p.TopicPartition).ToList(), add: false);
            })
            .Build();
        _consumer.Subscribe(topic);
        _loop = Task.Factory.StartNew(Poll, TaskCreationOptions.LongRunning);
    }

    public int RevokedCount => Volatile.Read(ref _revokedCount);

    public int LostCount => Volatile.Read(ref _lostCount);

    public IReadOnlySet<int> Assigned
    {
        get
        {
            lock (_sync)
            {
                return _assigned.ToHashSet();
            }
        }
    }

    /// <summary>Stops polling and leaves the group (Close sends LeaveGroup).</summary>
    public void Close()
    {
        _stop.Cancel();
        _loop.Wait(CoordinatorTestBroker.Timeout);
        _consumer.Close();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _loop.Wait(CoordinatorTestBroker.Timeout);
        _consumer.Dispose();
        _stop.Dispose();
    }

    private void Update(IEnumerable<TopicPartition> partitions, bool add)
    {
        lock (_sync)
        {
            foreach (var partition in partitions)
            {
                if (add)
                {
                    _assigned.Add(partition.Partition.Value);
                }
                else
                {
                    _assigned.Remove(partition.Partition.Value);
                }
            }
        }
    }

    private void Poll()
    {
        while (!_stop.IsCancellationRequested)
        {
            _consumer.Consume(TimeSpan.FromMilliseconds(100));
        }
    }
}
