namespace StreamMasking.Core.Policy.Dp;

/// <summary>Tumbling event-time windows of a segment (the <c>window</c> key).</summary>
/// <param name="Size">Window length (positive).</param>
/// <param name="Grace">How long after a window's end, in stream time, late records are still accepted (default 0).</param>
/// <param name="IdleClose">Wall-clock idleness after which a quiet segment closes its windows; null = never.</param>
/// <param name="Late">What happens to a record whose window has already closed (the <c>late</c> key; default dead-letter).</param>
/// <param name="MaxFutureSkew">
/// How far ahead of the wall clock a record's timestamp may be (the <c>maxFutureSkew</c> key); null = the default,
/// <see cref="Windowing.WindowSpec.DefaultMaxFutureSkew"/>.
/// </param>
public sealed record WindowPolicy(TimeSpan Size, TimeSpan Grace, TimeSpan? IdleClose, LateRecordHandling Late = LateRecordHandling.DeadLetter,
    TimeSpan? MaxFutureSkew = null)
{
    /// <summary>The policy keyword of <see cref="Late"/>: <c>dead-letter</c> or <c>drop</c>.</summary>
    public string LateName => Late == LateRecordHandling.Drop ? "drop" : "dead-letter";
}
