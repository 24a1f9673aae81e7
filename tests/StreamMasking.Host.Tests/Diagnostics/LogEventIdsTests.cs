using StreamMasking.Broker;
using StreamMasking.Host.Diagnostics;
using StreamMasking.Runtime.Hosting;
using StreamMasking.Testing.Logging;

namespace StreamMasking.Host.Tests.Diagnostics;

/// <summary>Every log line of the host takes its event id from <see cref="LogEventIds"/>, unique and in range.</summary>
public sealed class LogEventIdsTests
{
    [Fact]
    public void LoggerMessages_OfTheHost_HaveUniqueRegisteredIdsInDeclaredRanges()
    {
        var assembly = typeof(LogEventIds).Assembly;

        LogEventIdAudit.Problems(assembly, "StreamMasking.Host").ShouldBeEmpty();
        LogEventIdAudit.LoggerMessages(assembly).Count.ShouldBe(LogEventIdAudit.Constants(typeof(LogEventIds)).Count);
    }

    [Fact]
    public void LoggerMessages_OfOneProcess_NeverShareAnId()
    {
        // demo and broker run the runtime, the host and the local broker in one process, logging to one sink.
        var registries = new[]
        {
            LogEventIdAudit.Registry(typeof(LogEventIds).Assembly, "StreamMasking.Host"),
            LogEventIdAudit.Registry(typeof(MaskingPipeline).Assembly, "StreamMasking.Runtime"),
            LogEventIdAudit.Registry(typeof(LocalBroker).Assembly, "StreamMasking.Broker"),
        };
        var ranges = registries.SelectMany(r => LogEventIdAudit.Ranges(r).Select(x => (x.First, x.Last, r.FullName + ": " + x.Area))).ToList();
        var messages = new[] { typeof(LogEventIds).Assembly, typeof(MaskingPipeline).Assembly, typeof(LocalBroker).Assembly }
            .SelectMany(LogEventIdAudit.LoggerMessages).ToList();
        var constants = registries.SelectMany(r => LogEventIdAudit.Constants(r).Select(c => (Name: r.FullName + "." + c.Key, c.Value)))
            .ToDictionary(c => c.Name, c => c.Value);

        LogEventIdAudit.Problems(messages, constants, ranges).ShouldBeEmpty();
    }
}
