namespace StreamMasking.Core.Windowing;

/// <summary>
/// Tumbling event-time windows of one segment: window i covers [i·Size, (i+1)·Size) in Unix milliseconds. A window
/// closes once the segment's stream time (a watermark over its source partitions, never ahead of the wall clock)
/// reaches its end plus <see cref="Grace"/>, or once the segment has been idle for <see cref="IdleTimeout"/> while its
/// owner was running and caught up.
/// </summary>
public sealed record WindowSpec
{
    /// <summary>Creates a validated spec.</summary>
    /// <param name="size">Window length; whole milliseconds, at least 1 ms.</param>
    /// <param name="grace">How long after a window's end (in stream time) records are still accepted; ≥ 0.</param>
    /// <param name="idleTimeout">Wall-clock idleness after which stream time advances with the wall clock; null disables.</param>
    /// <param name="maxWindowsPerAdvance">Most windows one record or timer tick may seal; at least 1. Default 100,000.</param>
    /// <param name="maxFutureSkew">
    /// How far ahead of the wall clock a record's timestamp may be; ≥ 0, whole milliseconds. Default
    /// <see cref="DefaultMaxFutureSkew"/>.
    /// </param>
    public WindowSpec(TimeSpan size, TimeSpan grace, TimeSpan? idleTimeout = null, int maxWindowsPerAdvance = 100_000,
        TimeSpan? maxFutureSkew = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWindowsPerAdvance, 1);
        var skew = maxFutureSkew ?? DefaultMaxFutureSkew;
        if (skew < TimeSpan.Zero || skew.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFutureSkew), "The future skew must be a whole number of milliseconds, at least 0.");
        }

        if (size.Ticks % TimeSpan.TicksPerMillisecond != 0 || size < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(size), "Window size must be a whole number of milliseconds, at least 1 ms.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        if (idleTimeout is { } idle && idle <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(idleTimeout), "The idle timeout must be positive (or null to disable).");
        }

        MaxWindowsPerAdvance = maxWindowsPerAdvance;
        Size = size;
        Grace = grace;
        IdleTimeout = idleTimeout;
        MaxFutureSkew = skew;
        SizeMs = (long)size.TotalMilliseconds;
        GraceMs = (long)Math.Ceiling(grace.TotalMilliseconds);
        MaxFutureSkewMs = (long)skew.TotalMilliseconds;
        // A source partition quiet for this long (owner running, caught up) no longer holds the watermark back.
        SourceIdleMs = IdleTimeout is { } timeout ? (long)Math.Ceiling(timeout.TotalMilliseconds) : checked(SizeMs + GraceMs);
    }

    /// <summary>
    /// Default <see cref="MaxFutureSkew"/>: 5 minutes. Producer clocks kept by NTP differ by milliseconds; minutes
    /// cover a badly set client without letting one record claim windows hours ahead.
    /// </summary>
    public static readonly TimeSpan DefaultMaxFutureSkew = TimeSpan.FromMinutes(5);

    /// <summary>Largest accepted record timestamp: 9999-12-31T23:59:59.999Z in Unix ms.</summary>
    public const long MaxTimestampMs = 253_402_300_799_999;

    /// <summary>
    /// Most windows one record may seal (a record further ahead is <see cref="RecordOutcome.OutOfRange"/>) and one
    /// <see cref="SegmentWindowEngine.CloseIdle"/> call seals (the rest follow on later calls). Guards against a
    /// single absurd timestamp forcing millions of empty releases. Default 100,000.
    /// </summary>
    public int MaxWindowsPerAdvance { get; }

    /// <summary>Window length.</summary>
    public TimeSpan Size { get; }

    /// <summary>Grace period after a window's end, in stream time. Default none.</summary>
    public TimeSpan Grace { get; }

    /// <summary>Idleness (owner running and caught up) after which quiet segments still close windows; null disables.</summary>
    public TimeSpan? IdleTimeout { get; }

    /// <summary>
    /// How far ahead of the wall clock a record's timestamp may be before it is <see cref="RecordOutcome.OutOfRange"/>.
    /// Stream time itself never passes the wall clock, so a record inside the skew cannot close a window early either.
    /// </summary>
    public TimeSpan MaxFutureSkew { get; }

    /// <summary>
    /// Idleness (owner running and caught up) after which a source partition that sent nothing no longer holds the
    /// segment's watermark back: <see cref="IdleTimeout"/>, or window size + grace without one.
    /// </summary>
    public TimeSpan SourceIdleTimeout => TimeSpan.FromMilliseconds(SourceIdleMs);

    internal long SizeMs { get; }

    internal long GraceMs { get; }

    internal long MaxFutureSkewMs { get; }

    internal long SourceIdleMs { get; }

    /// <summary>Index of the window containing <paramref name="timestampMs"/> (floor division, negative times included).</summary>
    public long IndexOf(long timestampMs) => Math.DivRem(timestampMs, SizeMs) switch
    {
        var (q, r) when r < 0 => q - 1,
        var (q, _) => q,
    };

    /// <summary>Inclusive start of window <paramref name="index"/>, Unix ms.</summary>
    public long StartOf(long index) => checked(index * SizeMs);

    /// <summary>Exclusive end of window <paramref name="index"/>, Unix ms.</summary>
    public long EndOf(long index) => checked((index + 1) * SizeMs);

    /// <summary>
    /// Whether <paramref name="timestampMs"/> is unusable as event time: negative (Kafka's "no timestamp"), past year
    /// 9999, more than <see cref="MaxFutureSkew"/> ahead of the wall clock <paramref name="nowMs"/>, or more than
    /// <see cref="MaxWindowsPerAdvance"/> windows ahead of <paramref name="streamTime"/> (<see cref="long.MinValue"/>
    /// before any record).
    /// </summary>
    public bool IsOutOfRange(long timestampMs, long streamTime, long nowMs) =>
        timestampMs is < 0 or > MaxTimestampMs
        || timestampMs - MaxFutureSkewMs > nowMs
        || (streamTime != long.MinValue && IndexOf(timestampMs) - IndexOf(streamTime) > MaxWindowsPerAdvance);

    /// <summary>The stream time at which window <paramref name="index"/> closes (end + grace, saturating).</summary>
    public long CloseTimeOf(long index)
    {
        var end = EndOf(index);
        return end > long.MaxValue - GraceMs ? long.MaxValue : end + GraceMs;
    }
}
