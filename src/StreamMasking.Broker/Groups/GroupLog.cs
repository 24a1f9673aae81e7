using Microsoft.Extensions.Logging;
using StreamMasking.Broker.Diagnostics;

namespace StreamMasking.Broker.Groups;

/// <summary>Source-generated log messages of the group coordinator (ids and counts only, never payloads).</summary>
internal static partial class GroupLog
{
    [LoggerMessage(EventId = LogEventIds.PreparingRebalance, Level = LogLevel.Debug, Message = "Group {GroupId} preparing rebalance (generation {GenerationId}, {MemberCount} members)")]
    public static partial void PreparingRebalance(ILogger logger, string groupId, int generationId, int memberCount);

    [LoggerMessage(EventId = LogEventIds.GenerationFormed, Level = LogLevel.Information, Message = "Group {GroupId} generation {GenerationId} formed with {MemberCount} members, protocol {Protocol}")]
    public static partial void GenerationFormed(ILogger logger, string groupId, int generationId, int memberCount, string? protocol);

    [LoggerMessage(EventId = LogEventIds.MemberExpired, Level = LogLevel.Information, Message = "Group {GroupId} member {MemberId} session expired")]
    public static partial void MemberExpired(ILogger logger, string groupId, string memberId);

    [LoggerMessage(EventId = LogEventIds.MemberLeft, Level = LogLevel.Debug, Message = "Group {GroupId} member {MemberId} left")]
    public static partial void MemberLeft(ILogger logger, string groupId, string memberId);

    [LoggerMessage(EventId = LogEventIds.GroupSweepFailed, Level = LogLevel.Error, Message = "Group coordinator expiration sweep failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = LogEventIds.OffsetUnstable, Level = LogLevel.Debug, Message = "Group {GroupId} offset fetch for {Topic}[{Partition}] answered UNSTABLE_OFFSET_COMMIT: a transactional offset commit is pending")]
    public static partial void OffsetUnstable(ILogger logger, string groupId, string topic, int partition);

    [LoggerMessage(EventId = LogEventIds.StaticMemberReplaced, Level = LogLevel.Information, Message = "Group {GroupId} static member {GroupInstanceId} rejoined with a new member id; the previous incarnation is fenced (generation {GenerationId})")]
    public static partial void StaticMemberReplaced(ILogger logger, string groupId, string groupInstanceId, int generationId);
}
