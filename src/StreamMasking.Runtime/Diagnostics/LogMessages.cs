using Microsoft.Extensions.Logging;

namespace StreamMasking.Runtime.Diagnostics;

/// <summary>
/// Every log line of the runtime. Lines carry stage names, topic coordinates, reason codes and Kafka error codes;
/// never record keys, values, header values or field contents, and never exception messages of parsers or
/// maskers (they can quote the input).
/// </summary>
internal static partial class LogMessages
{
    [LoggerMessage(LogEventIds.StageStarting, LogLevel.Information, "Stage {Stage} starting: transactional id {TransactionalId}, group {GroupId}, topics {Topics}")]
    internal static partial void StageStarting(this ILogger logger, string stage, string transactionalId, string groupId, string topics);

    [LoggerMessage(LogEventIds.StageStopped, LogLevel.Information, "Stage {Stage} stopped")]
    internal static partial void StageStopped(this ILogger logger, string stage);

    [LoggerMessage(LogEventIds.PartitionsAssigned, LogLevel.Information, "Stage {Stage} partitions assigned: {Partitions}")]
    internal static partial void PartitionsAssigned(this ILogger logger, string stage, string partitions);

    [LoggerMessage(LogEventIds.PartitionsRevoked, LogLevel.Information, "Stage {Stage} partitions revoked: {Partitions}; committing the open transaction")]
    internal static partial void PartitionsRevoked(this ILogger logger, string stage, string partitions);

    [LoggerMessage(LogEventIds.PartitionsLost, LogLevel.Warning, "Stage {Stage} partitions lost: {Partitions}; aborting the open transaction")]
    internal static partial void PartitionsLost(this ILogger logger, string stage, string partitions);

    [LoggerMessage(LogEventIds.TransactionCommitted, LogLevel.Debug, "Stage {Stage} committed a transaction of {Records} records")]
    internal static partial void TransactionCommitted(this ILogger logger, string stage, int records);

    [LoggerMessage(LogEventIds.TransactionAborted, LogLevel.Warning, "Stage {Stage} aborted a transaction of {Records} records ({Cause}); input rewound")]
    internal static partial void TransactionAborted(this ILogger logger, string stage, int records, string cause);

    [LoggerMessage(LogEventIds.ProcessorFailed, LogLevel.Error, "Stage {Stage} processor failed with {ExceptionType} at {Topic}/{Partition}@{Offset}; aborting")]
    internal static partial void ProcessorFailed(this ILogger logger, string stage, string exceptionType, string topic, int partition, long offset);

    [LoggerMessage(LogEventIds.KafkaRetriable, LogLevel.Warning, "Stage {Stage} retriable Kafka error in {Operation}: {Code} {Reason}")]
    internal static partial void KafkaRetriable(this ILogger logger, string stage, string operation, string code, string reason);

    [LoggerMessage(LogEventIds.Fenced, LogLevel.Error, "Stage {Stage} fenced in {Operation}: another instance owns transactional id {TransactionalId}; this instance stops (zombie)")]
    internal static partial void Fenced(this ILogger logger, string stage, string operation, string transactionalId);

    [LoggerMessage(LogEventIds.KafkaFatal, LogLevel.Critical, "Stage {Stage} fatal Kafka error in {Operation}: {Code} {Reason}; stopping")]
    internal static partial void KafkaFatal(this ILogger logger, string stage, string operation, string code, string reason);

    [LoggerMessage(LogEventIds.QueueFull, LogLevel.Debug, "Stage {Stage} producer queue full; backing off")]
    internal static partial void QueueFull(this ILogger logger, string stage);

    [LoggerMessage(LogEventIds.RecordDeadLettered, LogLevel.Information, "Dead-lettered a record: reason {Reason}, stage {Stage}, source {Topic}/{Partition}@{Offset}")]
    internal static partial void RecordDeadLettered(this ILogger logger, string reason, string stage, string topic, int partition, long offset);

    [LoggerMessage(LogEventIds.ConsumeError, LogLevel.Warning, "Stage {Stage} consume error: {Code} {Reason}")]
    internal static partial void ConsumeError(this ILogger logger, string stage, string code, string reason);

    [LoggerMessage(LogEventIds.ClientLog, LogLevel.Debug, "Kafka client {Client} [{Facility}] {Message}")]
    internal static partial void ClientLog(this ILogger logger, string client, string facility, string message);

    [LoggerMessage(LogEventIds.ClientError, LogLevel.Warning, "Kafka client {Client} error: {Code} {Reason}")]
    internal static partial void ClientError(this ILogger logger, string client, string code, string reason);

    [LoggerMessage(LogEventIds.TopicCreated, LogLevel.Information, "Topic {Topic} created with {Partitions} partitions")]
    internal static partial void TopicCreated(this ILogger logger, string topic, int partitions);

    [LoggerMessage(LogEventIds.TopicExists, LogLevel.Debug, "Topic {Topic} already exists")]
    internal static partial void TopicExists(this ILogger logger, string topic);

    [LoggerMessage(LogEventIds.ShuttingDown, LogLevel.Information, "Stage {Stage} shutting down: {Action} the open transaction")]
    internal static partial void ShuttingDown(this ILogger logger, string stage, string action);

    [LoggerMessage(LogEventIds.MaskerThrew, LogLevel.Error, "Stage {Stage} masking threw {ExceptionType} for segment {Segment}; record dead-lettered")]
    internal static partial void MaskerThrew(this ILogger logger, string stage, string exceptionType, string segment);

    [LoggerMessage(LogEventIds.PipelineStarted, LogLevel.Information, "Pipeline started: policy {PolicySource} version {PolicyVersion}, {Segments} segments, stages {Stages}")]
    internal static partial void PipelineStarted(this ILogger logger, string policySource, string policyVersion, int segments, string stages);

    [LoggerMessage(LogEventIds.PunctuationFailed, LogLevel.Error, "Stage {Stage} timer or state flush threw {ExceptionType}; the transaction is aborted and retried")]
    internal static partial void PunctuationFailed(this ILogger logger, string stage, string exceptionType);

    [LoggerMessage(LogEventIds.WindowReleased, LogLevel.Information, "Segment {Segment} partition {Partition}: window {WindowIndex} released ({Released} released, {Suppressed} suppressed)")]
    internal static partial void WindowReleased(this ILogger logger, string segment, int partition, long windowIndex, int released, int suppressed);

    [LoggerMessage(LogEventIds.WindowStateAbandoned, LogLevel.Warning, "Segment {Segment} partition {Partition}: window state was written under another policy ({Part}); it is abandoned and a new one starts (the budget ledger carries over)")]
    internal static partial void WindowStateAbandoned(this ILogger logger, string segment, int partition, string part);

    [LoggerMessage(LogEventIds.SealedWindowAbandoned, LogLevel.Warning, "Segment {Segment} partition {Partition}: sealed window {WindowIndex} does not match the policy's aggregates; it is not released")]
    internal static partial void SealedWindowAbandoned(this ILogger logger, string segment, int partition, long windowIndex);

    [LoggerMessage(LogEventIds.ReleaseSuppressed, LogLevel.Warning, "Segment {Segment}: release of {Aggregate} for window {WindowIndex} suppressed: {Reason}")]
    internal static partial void ReleaseSuppressed(this ILogger logger, string segment, string aggregate, long windowIndex, string reason);

    [LoggerMessage(LogEventIds.ContinualStateLost, LogLevel.Error, "Segment {Segment} partition {Partition}: continual counter state is missing or unreadable although a counter was started; its running totals are suppressed (continual_state_lost) until the operator lists the segment in State:StartNewContinualCounters")]
    internal static partial void ContinualStateLost(this ILogger logger, string segment, int partition);

    [LoggerMessage(LogEventIds.ContinualCountersRestarted, LogLevel.Warning, "Segment {Segment} partition {Partition}: continual counters {Outcome}: new counter incarnations start and are charged anew")]
    internal static partial void ContinualCountersRestarted(this ILogger logger, string segment, int partition, string outcome);

    [LoggerMessage(LogEventIds.LedgerTransition, LogLevel.Warning, "Segment {Segment} partition {Partition}: the budget ledger moves to the policy content {ContentHash} (policy transition; what was spent carries over)")]
    internal static partial void LedgerTransition(this ILogger logger, string segment, int partition, string contentHash);

    [LoggerMessage(LogEventIds.UnitLifetimeLedgerLost, LogLevel.Error, "Segment {Segment} partition {Partition}: the lifetime ledger of event-level noise is missing although the segment has state here; every unit's noised fields are withheld (event_lifetime_state_lost) until the segment's DP state is rebuilt")]
    internal static partial void UnitLifetimeLedgerLost(this ILogger logger, string segment, int partition);

    [LoggerMessage(LogEventIds.LifetimeBudgetExhausted, LogLevel.Warning, "Segment {Segment}: lifetime budget exhausted at window {WindowIndex}; from now on every release that no longer fits is suppressed (lifetime_cap_exceeded, audited per release, logged once)")]
    internal static partial void LifetimeBudgetExhausted(this ILogger logger, string segment, long windowIndex);
}
