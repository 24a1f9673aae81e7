namespace StreamMasking.Core.Windows;

/// <summary>
/// Tumbling event-time windows of one segment: window i covers [i·Size, (i+1)·Size) in Unix milliseconds. A window
/// closes once the partition's stream time reaches its end plus <see cref="Grace"/>, or once the segment has been
/// idle on the wall clock for <see cref="IdleTimeout"/>.
/// </summary>
public sealed record WindowSpec
{
    /// <summary>Creates a validated spec.</summary>
    /// <param name="size">Window length; whole milliseconds, at least 1 ms.</param>
    /// <param name="grace">How long after a window's end (in stream time) records are still accepted; ≥ 0.</param>
    /// <param name="idleTimeout">Wall-clock idleness after which stream time advances with the wall clock; null disables.</param>
    /// <param name="maxWindowsPerAdvance">Most windows one record or timer tick may seal; at least 1. Default 100,000.</param>
    public WindowSpec(TimeSpan size, TimeSpan grace, TimeSpan? idleTimeout = null, int maxWindowsPerAdvance = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWindowsPerAdvance, 1);
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
        SizeMs = (long)size.TotalMilliseconds;
        GraceMs = (long)Math.Ceiling(grace.TotalMilliseconds);
    }

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

    /// <summary>Wall-clock idleness after which quiet segments still close windows; null disables.</summary>
    public TimeSpan? IdleTimeout { get; }

    internal long SizeMs { get; }

    internal long GraceMs { get; }

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
    /// 9999, or more than <see cref="MaxWindowsPerAdvance"/> windows ahead of <paramref name="streamTime"/>
    /// (<see cref="long.MinValue"/> before any record).
    /// </summary>
    public bool IsOutOfRange(long timestampMs, long streamTime) =>
        timestampMs is < 0 or > MaxTimestampMs
        || (streamTime != long.MinValue && IndexOf(timestampMs) - IndexOf(streamTime) > MaxWindowsPerAdvance);

    /// <summary>The stream time at which window <paramref name="index"/> closes (end + grace, saturating).</summary>
    public long CloseTimeOf(long index)
    {
        var end = EndOf(index);
        return end > long.MaxValue - GraceMs ? long.MaxValue : end + GraceMs;
    }
}
