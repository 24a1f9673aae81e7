namespace StreamMasking.Host.Demo;

/// <summary>Settings of <c>demo</c>.</summary>
/// <param name="PolicyFile">Policy to mask with (default: the shipped policies/demo.yaml).</param>
/// <param name="Headless">Plain summary lines instead of the live view.</param>
/// <param name="Duration">Stop by itself after this long; null runs until Ctrl-C.</param>
/// <param name="EventsPerSecond">Synthetic events per second.</param>
/// <param name="HttpPort">Port of the demo's HTTP endpoints on loopback; 0 picks a free one.</param>
/// <param name="AvroInput">Produce the events in Avro single-object encoding under the sample schemas (<c>--format avro</c>).</param>
internal sealed record DemoSettings(string PolicyFile, bool Headless, TimeSpan? Duration, int EventsPerSecond, int HttpPort = DemoSettings.DefaultHttpPort,
    bool AvroInput = false)
{
    /// <summary>The demo's own HTTP port, next to the service's default 9464 so both can run at once.</summary>
    internal const int DefaultHttpPort = 9465;
}
