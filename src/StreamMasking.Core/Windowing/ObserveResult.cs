namespace StreamMasking.Core.Windowing;

/// <summary>Result of <c>SegmentWindowEngine.Observe</c>.</summary>
/// <param name="Outcome">Accepted or late.</param>
/// <param name="WindowIndex">Index of the record's window.</param>
/// <param name="CappedAggregates">Aggregates that ignored the record because its privacy unit reached a contribution cap.</param>
/// <param name="SealedWindows">Windows this call closed (each was appended to the caller's list).</param>
public readonly record struct ObserveResult(RecordOutcome Outcome, long WindowIndex, int CappedAggregates, int SealedWindows);
