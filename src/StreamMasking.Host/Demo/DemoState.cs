using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Host.Demo;

/// <summary>
/// What the demo views display: generator, pipeline counters, and the downstream views of the masked topics and of the
/// aggregates and audit topics.
/// </summary>
internal sealed class DemoState
{
    private readonly long _started;

    internal DemoState(PrivacyPolicy policy, DemoGenerator generator, PipelineCounters counters, MaskedSampleReader reader, ReleaseReader releases,
        TimeProvider time)
    {
        Policy = policy;
        Generator = generator;
        Counters = counters;
        Reader = reader;
        Releases = releases;
        Time = time;
        _started = time.GetTimestamp();
    }

    internal PrivacyPolicy Policy { get; }

    internal DemoGenerator Generator { get; }

    internal PipelineCounters Counters { get; }

    internal MaskedSampleReader Reader { get; }

    internal ReleaseReader Releases { get; }

    internal TimeProvider Time { get; }

    internal TimeSpan Elapsed => Time.GetElapsedTime(_started);
}
