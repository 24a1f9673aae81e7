using System.Collections.Concurrent;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Faults;

/// <summary>
/// In-process fault injection for reliability tests: provoke what real clusters do (lost connections, slow
/// responses, error codes, stalled partitions). Thread-safe. API keys and error codes are Kafka's numbers
/// (protocol.html "Api Keys" / "Error Codes"), e.g. Produce = 0, NOT_ENOUGH_REPLICAS = 19.
/// </summary>
public sealed class BrokerFaults
{
    private readonly ConcurrentDictionary<long, IFaultTarget> _connections = new();
    private readonly ConcurrentDictionary<short, TimeSpan> _delays = new();
    private readonly ConcurrentDictionary<short, (short Error, int Remaining)> _errors = new();
    private readonly ConcurrentDictionary<short, int> _dropAfterHandling = new();
    private readonly ConcurrentDictionary<(string Topic, int Partition), TaskCompletionSource> _stalled = new();
    private readonly Lock _lock = new();

    /// <summary>Closes all client connections, or only those whose client.id equals <paramref name="clientId"/>. Returns how many.</summary>
    public int DropConnections(string? clientId = null)
    {
        var dropped = 0;
        foreach (var connection in _connections.Values)
        {
            if (clientId is null || string.Equals(connection.ClientId, clientId, StringComparison.Ordinal))
            {
                connection.Abort();
                dropped++;
            }
        }

        return dropped;
    }

    /// <summary>Delays every response of <paramref name="apiKey"/> by <paramref name="delay"/> (TimeSpan.Zero clears).</summary>
    public void DelayResponses(short apiKey, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            _delays.TryRemove(apiKey, out _);
        }
        else
        {
            _delays[apiKey] = delay;
        }
    }

    /// <summary>Answers the next <paramref name="count"/> requests of <paramref name="apiKey"/> with <paramref name="errorCode"/> without executing them.</summary>
    public void InjectErrors(short apiKey, short errorCode, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _errors[apiKey] = (errorCode, count);
    }

    /// <summary>
    /// Executes the next <paramref name="count"/> requests of <paramref name="apiKey"/> but closes the connection
    /// instead of answering: the client sees a lost response and retries what already happened.
    /// </summary>
    public void DropConnectionAfterHandling(short apiKey, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _dropAfterHandling[apiKey] = count;
    }

    /// <summary>Stalls a partition: fetches return no data for it and produces to it wait until <see cref="ResumePartition"/>.</summary>
    public void StallPartition(string topic, int partition) =>
        _stalled.TryAdd((topic, partition), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void ResumePartition(string topic, int partition)
    {
        if (_stalled.TryRemove((topic, partition), out var tcs))
        {
            tcs.TrySetResult();
        }
    }

    /// <summary>Clears every injected fault (stalled partitions resume).</summary>
    public void Reset()
    {
        _delays.Clear();
        _errors.Clear();
        _dropAfterHandling.Clear();
        foreach (var key in _stalled.Keys)
        {
            ResumePartition(key.Topic, key.Partition);
        }
    }

    /// <summary>Number of open client connections.</summary>
    public int ConnectionCount => _connections.Count;

    internal void Register(long id, IFaultTarget connection) => _connections[id] = connection;

    internal void Unregister(long id) => _connections.TryRemove(id, out _);

    internal TimeSpan DelayFor(ApiKey key) => _delays.TryGetValue((short)key, out var d) ? d : TimeSpan.Zero;

    /// <summary>Consumes one injected error for <paramref name="key"/>, if any.</summary>
    internal bool TryTakeError(ApiKey key, out ErrorCode error)
    {
        lock (_lock)
        {
            if (_errors.TryGetValue((short)key, out var e) && e.Remaining > 0)
            {
                _errors[(short)key] = (e.Error, e.Remaining - 1);
                error = (ErrorCode)e.Error;
                return true;
            }
        }

        error = ErrorCode.None;
        return false;
    }

    internal bool TryTakeDropAfterHandling(ApiKey key)
    {
        lock (_lock)
        {
            if (_dropAfterHandling.TryGetValue((short)key, out var n) && n > 0)
            {
                _dropAfterHandling[(short)key] = n - 1;
                return true;
            }
        }

        return false;
    }

    internal bool IsStalled(string topic, int partition) => _stalled.ContainsKey((topic, partition));

    /// <summary>Completes when the partition is not (or no longer) stalled.</summary>
    internal Task WhenResumed(string topic, int partition) =>
        _stalled.TryGetValue((topic, partition), out var tcs) ? tcs.Task : Task.CompletedTask;
}
