namespace StreamMasking.Core.Policy.Dp;

/// <summary>
/// What happens to a record of a windowed segment whose event-time window has already closed (past its grace): the
/// <c>late</c> key of <c>window</c>. Either way the record is never published to the masked topic nor aggregated.
/// </summary>
public enum LateRecordHandling
{
    /// <summary>The record is dead-lettered with reason <c>late_record</c> (<c>dead-letter</c>, the default).</summary>
    DeadLetter,

    /// <summary>The record is counted as deliberately dropped and not published anywhere (<c>drop</c>).</summary>
    Drop,
}
