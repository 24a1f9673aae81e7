namespace StreamMasking.Runtime.Configuration;

/// <summary>Prometheus metrics (<c>StreamMasking:Metrics</c>).</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// Distinct values of the <c>segment</c> label; further segments are reported as <c>other</c>, so the series count
    /// stays bounded however many segments a policy declares. The default value is 100.
    /// </summary>
    public int MaxSegmentLabels { get; set; } = 100;
}
