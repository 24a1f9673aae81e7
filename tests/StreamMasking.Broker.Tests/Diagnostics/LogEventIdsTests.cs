using StreamMasking.Broker.Diagnostics;
using StreamMasking.Testing.Logging;

namespace StreamMasking.Broker.Tests.Diagnostics;

/// <summary>Every log line of the broker takes its event id from <see cref="LogEventIds"/>, unique and in range.</summary>
public sealed class LogEventIdsTests
{
    [Fact]
    public void LoggerMessages_OfTheBroker_HaveUniqueRegisteredIdsInDeclaredRanges()
    {
        var assembly = typeof(LogEventIds).Assembly;

        LogEventIdAudit.Problems(assembly, "StreamMasking.Broker").ShouldBeEmpty();
        LogEventIdAudit.LoggerMessages(assembly).Count.ShouldBe(LogEventIdAudit.Constants(typeof(LogEventIds)).Count);
    }

    [Fact]
    public void Ranges_OfTheBroker_LieInItsBlock()
    {
        LogEventIds.Ranges.ShouldAllBe(r => r.First >= 3000 && r.Last <= 3999);
    }
}
