namespace StreamMasking.Core.Windowing;

/// <summary>What happened to one record offered to a <see cref="SegmentWindowEngine"/>.</summary>
public enum RecordOutcome
{
    /// <summary>The record was assigned to an open window (some aggregates may still have ignored it: see capped count).</summary>
    Accepted = 1,

    /// <summary>The record's window is already closed and sealed; it was not aggregated (dead-letter or count it).</summary>
    Late = 2,

    /// <summary>
    /// The timestamp is unusable: negative (Kafka's "no timestamp"), past year 9999, or so far ahead that accepting it
    /// would seal more than <see cref="WindowSpec.MaxWindowsPerAdvance"/> windows at once. Not aggregated, stream time
    /// unchanged (dead-letter it).
    /// </summary>
    OutOfRange = 3,
}
