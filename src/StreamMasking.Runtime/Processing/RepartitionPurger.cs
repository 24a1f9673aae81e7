using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Kafka;

namespace StreamMasking.Runtime.Processing;

/// <summary>
/// Deletes the records of the repartition topic that stage "mask" has committed past (DeleteRecords up to the
/// committed offset, as Kafka Streams purges its repartition topics), so raw records do not linger there. Called
/// on the loop thread after each commit; purges at most once per interval, asynchronously, one request at a time.
/// Only records below a committed offset are deleted: the next owner of a partition starts at or after it.
/// </summary>
internal sealed class RepartitionPurger : IDisposable
{
    private readonly IKafkaClientFactory _clients;
    private readonly string _topic;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<int, long> _committed = [];
    private IAdminClient? _admin;
    private Task? _inFlight;
    private long _lastPurge;
    private bool _changed;

    internal RepartitionPurger(IKafkaClientFactory clients, string topic, TimeSpan interval, TimeSpan timeout, TimeProvider time, ILogger logger)
    {
        _clients = clients;
        _topic = topic;
        _interval = interval;
        _timeout = timeout;
        _time = time;
        _logger = logger;
        _lastPurge = time.GetTimestamp();
    }

    /// <summary>The transaction that committed <paramref name="offsets"/> (consumer positions) succeeded.</summary>
    internal void OnCommitted(IReadOnlyList<TopicPartitionOffset> offsets)
    {
        foreach (var offset in offsets)
        {
            if (offset.Topic == _topic && offset.Offset.Value > _committed.GetValueOrDefault(offset.Partition.Value))
            {
                _committed[offset.Partition.Value] = offset.Offset.Value;
                _changed = true;
            }
        }

        if (!_changed || _inFlight is { IsCompleted: false } || _time.GetElapsedTime(_lastPurge) < _interval)
        {
            return;
        }

        _lastPurge = _time.GetTimestamp();
        _changed = false;
        var purge = _committed.Select(kv => new TopicPartitionOffset(_topic, kv.Key, kv.Value)).ToList();
        _admin ??= _clients.CreateAdminClient("purge");
        _inFlight = PurgeAsync(_admin, purge);
    }

    /// <summary>
    /// Waits for a purge in flight, purges what was committed since (each bounded by the request timeout), then
    /// closes the admin client.
    /// </summary>
    public void Dispose()
    {
        try
        {
            _inFlight?.Wait(_timeout);
            if (_changed && _admin is not null)
            {
                _changed = false;
                PurgeAsync(_admin, _committed.Select(kv => new TopicPartitionOffset(_topic, kv.Key, kv.Value)).ToList()).Wait(_timeout);
            }
        }
        catch (AggregateException)
        {
            // PurgeAsync logs its own failures; nothing else can surface here.
        }

        _admin?.Dispose();
    }

    private async Task PurgeAsync(IAdminClient admin, List<TopicPartitionOffset> purge)
    {
        try
        {
            var results = await admin.DeleteRecordsAsync(purge, new DeleteRecordsOptions { RequestTimeout = _timeout, OperationTimeout = _timeout })
                .ConfigureAwait(false);
            foreach (var result in results)
            {
                _logger.RepartitionPurged(result.Topic, result.Partition.Value, result.Offset.Value);
            }
        }
        catch (DeleteRecordsException e)
        {
            // Best effort: a failed partition is asked again with the next purge (retention bounds it meanwhile).
            foreach (var report in e.Results.Where(r => r.Error.IsError))
            {
                _logger.RepartitionPurgeFailed(report.Topic, report.Partition.Value, report.Error.Code.ToString());
            }
        }
        catch (KafkaException e)
        {
            _logger.RepartitionPurgeFailed(_topic, -1, e.Error.Code.ToString());
        }
    }
}
