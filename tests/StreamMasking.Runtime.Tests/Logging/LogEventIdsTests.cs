using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Testing.Logging;

namespace StreamMasking.Runtime.Tests.Logging;

// In Logging, not Diagnostics: a Tests.Diagnostics namespace would hide Runtime.Diagnostics from tests that name it
// relatively (Diagnostics.PipelineSnapshot).
/// <summary>Every log line of the runtime takes its event id from <see cref="LogEventIds"/>, unique and in range.</summary>
public sealed class LogEventIdsTests
{
    [Fact]
    public void LoggerMessages_OfTheRuntime_HaveUniqueRegisteredIdsInDeclaredRanges()
    {
        var assembly = typeof(LogEventIds).Assembly;

        LogEventIdAudit.Problems(assembly, "StreamMasking.Runtime").ShouldBeEmpty();
        // The reflection finds the log lines at all (a registry checked against nothing would pass).
        LogEventIdAudit.LoggerMessages(assembly).Count.ShouldBe(LogEventIdAudit.Constants(typeof(LogEventIds)).Count);
    }

    [Fact]
    public void Ranges_OfTheRuntime_LieInItsBlock()
    {
        LogEventIds.Ranges.ShouldAllBe(r => r.First >= 1 && r.Last <= 999);
    }

    [Fact]
    public void Problems_DuplicateId_IsReported()
    {
        var problems = LogEventIdAudit.Problems(
            [("Log.A", 1), ("Log.B", 1)],
            new Dictionary<string, int> { ["A"] = 1 },
            [(1, 99, "loop")]);

        problems.ShouldHaveSingleItem().ShouldBe("event id 1 is used by Log.A, Log.B");
    }

    [Fact]
    public void Problems_IdOutsideEveryRangeOrNotRegistered_IsReported()
    {
        var problems = LogEventIdAudit.Problems(
            [("Log.A", 1), ("Log.B", 150), ("Log.C", 7)],
            new Dictionary<string, int> { ["A"] = 1, ["B"] = 150, ["Unused"] = 2 },
            [(1, 99, "loop"), (200, 299, "windows")]);

        problems.ShouldBe(
        [
            "Log.C uses event id 7, which is not a constant of the registry",
            "registry constant Unused = 2 is used by no log message",
            "registry constant B = 150 lies in 0 declared ranges, not one",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Problems_OverlappingRanges_AreReported()
    {
        var problems = LogEventIdAudit.Problems([], new Dictionary<string, int>(), [(1, 99, "loop"), (50, 199, "windows")]);

        problems.ShouldHaveSingleItem().ShouldBe("ranges loop and windows overlap");
    }
}
