using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Processing;

/// <summary>
/// A deadline on SendOffsetsToTransaction. librdkafka waits for the result of that call without a limit and does
/// not check the timeout of its request to the group coordinator (librdkafka issue 5456, open as of 2.16): when the
/// broker goes away with a transaction open and comes back, the call can block until some later connection change,
/// while the broker times the transaction out and fences the producer. Seen in the chaos test after a broker
/// restart: stages silent for 50 s, then stopped as fenced. A stage whose call outlives the deadline stops at once
/// instead (nothing of the open transaction is committed: the broker aborts it, and the restarted instance's
/// InitTransactions fences this producer and starts from the committed offsets, so nothing is lost).
/// </summary>
internal sealed partial class TransactionalLoop
{
    // The blocked call still owns the producer: disposing it could block too, so a stage that abandoned a call
    // leaves the producer to the process exit.
    private bool _producerAbandoned;

    /// <summary>The longest a SendOffsetsToTransaction may take: twice the operation timeout it is given.</summary>
    internal TimeSpan SendOffsetsDeadline => _settings.OperationTimeout * 2;

    private void SendOffsetsWithDeadline(IProducer<byte[]?, byte[]?> producer, List<TopicPartitionOffset> offsets,
        IConsumerGroupMetadata metadata)
    {
        // On a pool thread, not a thread of its own: this runs once per transaction, and only a hung call keeps it.
        var call = Task.Run(() => producer.SendOffsetsToTransaction(offsets, metadata, _settings.OperationTimeout));
        if (!((IAsyncResult)call).AsyncWaitHandle.WaitOne(SendOffsetsDeadline))
        {
            _producerAbandoned = true;
            _inTransaction = false; // the producer is busy in the blocked call: the broker aborts the transaction
            SendOffsetsHung(_logger, _settings.LoopName, (long)SendOffsetsDeadline.TotalMilliseconds, _settings.TransactionalId);
            throw new StageStoppedException(
                $"Stage '{_settings.LoopName}' stopped: SendOffsetsToTransaction did not return within {SendOffsetsDeadline}", fenced: false);
        }

        call.GetAwaiter().GetResult(); // a KafkaException of the call takes the error policy of Attempt
    }

    private void DisposeProducer(IProducer<byte[]?, byte[]?> producer)
    {
        if (!_producerAbandoned)
        {
            producer.Dispose();
        }
    }

    [LoggerMessage(LogEventIds.SendOffsetsHung, LogLevel.Error, "Stage {Stage}: SendOffsetsToTransaction did not return within {DeadlineMs} ms (the client ignores its timeout while the group coordinator is unreachable); stopping so that a restart re-initialises transactional id {TransactionalId}")]
    private static partial void SendOffsetsHung(ILogger logger, string stage, long deadlineMs, string transactionalId);
}
