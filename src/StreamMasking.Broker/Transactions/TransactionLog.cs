using Microsoft.Extensions.Logging;
using StreamMasking.Broker.Diagnostics;

namespace StreamMasking.Broker.Transactions;

/// <summary>Source-generated log messages of the transaction coordinator (ids only).</summary>
internal static partial class TransactionLog
{
    [LoggerMessage(EventId = LogEventIds.TransactionTimedOut, Level = LogLevel.Information, Message = "Transaction of {TransactionalId} timed out; aborting and fencing epoch {Epoch}")]
    public static partial void TimedOut(ILogger logger, string transactionalId, short epoch);

    [LoggerMessage(EventId = LogEventIds.TransactionCompleted, Level = LogLevel.Debug, Message = "Transaction of {TransactionalId} completed ({Result}, {PartitionCount} partitions, {GroupCount} groups)")]
    public static partial void Completed(ILogger logger, string transactionalId, string result, int partitionCount, int groupCount);

    [LoggerMessage(EventId = LogEventIds.MarkerFailed, Level = LogLevel.Warning, Message = "Marker for {Topic}-{Partition} of {TransactionalId} failed with {Error}")]
    public static partial void MarkerFailed(ILogger logger, string topic, int partition, string transactionalId, string error);

    [LoggerMessage(EventId = LogEventIds.TransactionSweepFailed, Level = LogLevel.Error, Message = "Transaction timeout sweep failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = LogEventIds.ProducerInitialised, Level = LogLevel.Information, Message = "Producer {TransactionalId} initialised: producer id {ProducerId}, epoch {Epoch}")]
    public static partial void Initialised(ILogger logger, string transactionalId, long producerId, short epoch);
}
