using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Processing;

/// <summary>
/// The one way records leave a stream thread (Kafka Streams' record collector): every output record of a processor
/// and every changelog write of a state store is produced here, through the loop's transactional producer and so in
/// its open transaction, with one back-off while the client's local queue is full and one tally of the outputs the
/// transaction holds. Delivery errors need no handling of their own: the transaction then fails to commit, and the
/// loop's error policy decides (a changelog write also reports its acknowledged offset, see
/// <see cref="Send(TopicPartition, Message{byte[], byte[]}, Action{DeliveryReport{byte[], byte[]}})"/>).
/// </summary>
/// <remarks>Not thread-safe: the loop's thread only (delivery handlers run on the client's thread).</remarks>
internal sealed class RecordCollector
{
    /// <summary>How long a send waits before trying again while the local queue is full.</summary>
    internal static readonly TimeSpan QueueFullBackoff = TimeSpan.FromMilliseconds(20);

    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly TransactionTally _tally;
    private readonly string _loopName;
    private readonly ILogger _logger;

    internal RecordCollector(IProducer<byte[]?, byte[]?> producer, TransactionTally tally, string loopName, ILogger logger)
    {
        _producer = producer;
        _tally = tally;
        _loopName = loopName;
        _logger = logger;
    }

    /// <summary>Produces a processor's output (partitioned by the producer) and counts it in the open transaction's tally.</summary>
    internal void Send(OutputRecord output)
    {
        while (true)
        {
            try
            {
                _producer.Produce(output.Topic, output.Message);
                break;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                BackOff();
            }
        }

        _tally.Add(output.Kind, output.Segment, output.ReasonCode);
    }

    /// <summary>
    /// Produces a record to a given partition (a changelog write: partition = the input partition whose state it
    /// logs); <paramref name="onDelivered"/> runs on the client's thread with the broker's acknowledgement or error.
    /// </summary>
    internal void Send(TopicPartition target, Message<byte[]?, byte[]?> message, Action<DeliveryReport<byte[]?, byte[]?>> onDelivered)
    {
        while (true)
        {
            try
            {
                _producer.Produce(target, message, onDelivered);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                BackOff();
            }
        }
    }

    // The local queue is full: it drains as the broker acknowledges, so waiting beats failing the transaction. Any
    // other produce error propagates to the loop's error policy.
    private void BackOff()
    {
        _logger.QueueFull(_loopName);
        Thread.Sleep(QueueFullBackoff);
    }
}
