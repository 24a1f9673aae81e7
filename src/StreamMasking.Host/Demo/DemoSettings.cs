namespace StreamMasking.Host.Demo;

/// <summary>Settings of <c>demo</c>.</summary>
/// <param name="PolicyFile">Policy to mask with (default: the shipped policies/demo.yaml).</param>
/// <param name="Headless">Plain summary lines instead of the live view.</param>
/// <param name="Duration">Stop by itself after this long; null runs until Ctrl-C.</param>
/// <param name="EventsPerSecond">Synthetic events per second.</param>
internal sealed record DemoSettings(string PolicyFile, bool Headless, TimeSpan? Duration, int EventsPerSecond);
