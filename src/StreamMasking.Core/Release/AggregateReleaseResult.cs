using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Release;

/// <summary>The decision and (unless suppressed) the result of one release.</summary>
/// <param name="Kind">Released, replayed or suppressed.</param>
/// <param name="Aggregate">Aggregate name.</param>
/// <param name="Continual">Whether this is the continual total.</param>
/// <param name="Key">Ledger release key.</param>
/// <param name="Charged">Cost debited by this call (null when nothing was charged).</param>
/// <param name="Release">The release; null when suppressed.</param>
/// <param name="Payload">Canonical JSON of <paramref name="Release"/>; null when suppressed.</param>
/// <param name="Reason">Why it was suppressed.</param>
public sealed record AggregateReleaseResult(
    ReleaseOutcome Kind,
    string Aggregate,
    bool Continual,
    ReleaseKey Key,
    PrivacyCost? Charged,
    WindowRelease? Release,
    byte[]? Payload,
    SuppressionReason Reason);
