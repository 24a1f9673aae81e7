namespace StreamMasking.Chaos.Tests;

/// <summary>One point of the soak curve: the time since start, what was produced and output, and both processes' resources.</summary>
internal sealed record SoakSample(TimeSpan Elapsed, long Produced, long Output, ProcessResources Service, ProcessResources Broker);
