using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Release;

/// <summary>
/// Releases a sealed window: for every declared aggregate, computes the noisy result (a pure function of the sealed
/// state, the spec and the noise key), debits its cost from the segment's ledger under the release key
/// (window index, "aggregate/spec content hash"), and emits it only if paid. The release key and every published id
/// carry no information about the state. The ledger also keeps a keyed digest of the sealed state (state store only):
/// a release recomputed from the same sealed state is a free, byte-identical replay, while one from a different state
/// under the same key would reuse the noise label for a second value and is refused (<c>label_reuse_refused</c>).
/// Continual aggregates then feed the window's value to their counter.
/// </summary>
public static class WindowReleaser
{
    /// <summary>
    /// Releases every aggregate of <paramref name="window"/>. Mutates <paramref name="ledger"/> and
    /// <paramref name="continual"/>; the runtime persists both, in the same transaction as the emitted payloads.
    /// </summary>
    /// <param name="window">The sealed window (as persisted).</param>
    /// <param name="spec">Segment spec (its policy version keys releases and noise).</param>
    /// <param name="noiseKey">Master noise key (secret, ≥ 16 bytes).</param>
    /// <param name="ledger">The segment's budget ledger.</param>
    /// <param name="continual">The segment's continual totals; required when the spec has continual aggregates.</param>
    /// <param name="owner">The state owner releasing the window (the runtime's input partition; empty for a single
    /// owner): part of the noise identity, so two owners releasing the same window never share noise.</param>
    /// <returns>One outcome per aggregate in declared order, each followed by its continual outcome if continual.</returns>
    public static IReadOnlyList<AggregateReleaseResult> Release(
        SealedWindow window,
        SegmentAggregationSpec spec,
        ReadOnlySpan<byte> noiseKey,
        BudgetLedger ledger,
        ContinualTotals? continual = null,
        string owner = "")
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(ledger);
        if (window.Segment != spec.Segment || window.Aggregates.Count != spec.Aggregates.Count)
        {
            throw new ArgumentException("The sealed window does not belong to this segment spec.", nameof(window));
        }

        if (spec.Aggregates.Any(a => a.IsContinual) && (continual is null || continual.Spec.Segment != spec.Segment || continual.Spec.ContentHash != spec.ContentHash))
        {
            throw new ArgumentException("Continual aggregates need the segment's continual totals.", nameof(continual));
        }

        if (continual is not null && continual.Owner != owner)
        {
            throw new ArgumentException("The continual totals belong to another owner.", nameof(continual));
        }

        var outcomes = new List<AggregateReleaseResult>(spec.Aggregates.Count);
        for (var i = 0; i < spec.Aggregates.Count; i++)
        {
            var aggregate = spec.Aggregates[i];
            var sealedAggregate = window.Aggregates[i];
            if (sealedAggregate.Name != aggregate.Name || sealedAggregate.Kind != aggregate.Kind)
            {
                throw new ArgumentException($"Sealed aggregate {i} does not match the spec.", nameof(window));
            }

            outcomes.Add(ReleaseOne(window, sealedAggregate, aggregate, spec, noiseKey, ledger, owner));
            if (aggregate.IsContinual)
            {
                outcomes.Add(continual!.Release(window, sealedAggregate, aggregate, ledger));
            }
        }

        return outcomes;
    }

    internal static SuppressionReason Map(DebitRefusalReason reason) => reason switch
    {
        DebitRefusalReason.WindowCapExceeded => SuppressionReason.WindowCapExceeded,
        DebitRefusalReason.LifetimeCapExceeded => SuppressionReason.LifetimeCapExceeded,
        DebitRefusalReason.UnsupportedCostKind => SuppressionReason.UnsupportedCostKind,
        DebitRefusalReason.WindowSealed => SuppressionReason.WindowSealed,
        DebitRefusalReason.ReleaseKeyConflict => SuppressionReason.ReleaseKeyConflict,
        DebitRefusalReason.LabelReuse => SuppressionReason.LabelReuseRefused,
        _ => SuppressionReason.ArithmeticOverflow,
    };

    /// <summary>
    /// The release key of an aggregate's window release: (window index, "aggregate/spec content hash"). It names what
    /// is released and under which content; it is published in audit events, so it must never depend on the state.
    /// </summary>
    internal static ReleaseKey KeyOf(long windowIndex, AggregateSpec aggregate, SegmentAggregationSpec spec) =>
        new(windowIndex, aggregate.Name + "/" + spec.ContentHash);

    private static AggregateReleaseResult ReleaseOne(
        SealedWindow window,
        SealedAggregate sealedAggregate,
        AggregateSpec aggregate,
        SegmentAggregationSpec spec,
        ReadOnlySpan<byte> noiseKey,
        BudgetLedger ledger,
        string owner)
    {
        var key = KeyOf(window.WindowIndex, aggregate, spec);
        var identity = ReleaseCalculator.Identity(aggregate, spec, window.WindowIndex, owner);
        var digest = AggregateIdentity.ValueDigest(identity, sealedAggregate, noiseKey);

        // Computing first is safe: nothing leaves this method unless the debit below succeeds.
        var (release, cost) = ReleaseCalculator.Compute(window, sealedAggregate, aggregate, spec, noiseKey, owner);
        var debit = ledger.TryDebit(key, cost, digest);
        if (!debit.IsPaid)
        {
            return new AggregateReleaseResult(ReleaseOutcome.Suppressed, aggregate.Name, false, key, null, null, null, Map(debit.Reason));
        }

        var replay = debit.Outcome == DebitOutcome.AlreadyDebited;
        return new AggregateReleaseResult(
            replay ? ReleaseOutcome.Replayed : ReleaseOutcome.Released,
            aggregate.Name,
            false,
            key,
            replay ? null : cost,
            release,
            ReleaseJson.Serialize(release),
            SuppressionReason.None);
    }
}
