using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Windowing;

internal static partial class OwnershipLogMessages
{
    [LoggerMessage(LogEventIds.OwnershipViolated, LogLevel.Critical, "Stage {Stage} stops: DP state ownership violated ({Code}): {Detail}")]
    internal static partial void OwnershipViolated(this ILogger logger, string stage, string code, string detail);
}
