using System.Globalization;
using System.Text;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.ContinualRelease;

namespace StreamMasking.Core.Release;

/// <summary>
/// The continual running totals of one segment: one core counter per continual aggregate (binary tree with Honaker
/// estimation for a pure-ε budget, buffered-Toeplitz factorization for ρ), fed each sealed window's exact value in
/// window order. Counter noise is keyed by the counter's <see cref="Privacy.Identity.NoiseIdentity"/>: mechanism and
/// all parameters, the spec's content hash, segment, aggregate and the counter's incarnation, so a restored instance
/// continues exactly as the original would have and a counter started again never reuses an earlier one's noise.
/// Persist <see cref="ToBytes"/> with the ledger after every release; restore with <see cref="ContinualRestore"/>.
/// </summary>
/// <remarks>
/// The counter's whole budget is debited once, from the ledger window of its first step. Its noise is calibrated to
/// one unit changing one window's value by at most L∞ (× clamp magnitude for sums); a unit may touch up to
/// MaxWindowsPerUnit windows (enforced by the window engine), so by group privacy the charge is ε·W (pure) or ρ·W².
/// Totals in the <see cref="IsLost"/> state refuse every release (<see cref="SuppressionReason.ContinualStateLost"/>).
/// Not thread-safe.
/// </remarks>
public sealed class ContinualTotals
{
    internal const byte Version = 2;

    /// <summary>Purpose of counter draws in their noise identity.</summary>
    internal const string Purpose = "continual-total";

    private readonly byte[] _key;
    private readonly Dictionary<string, ContinualAggregateState> _states = new(StringComparer.Ordinal);

    /// <summary>Creates empty totals for the continual aggregates of <paramref name="spec"/>.</summary>
    /// <param name="spec">Segment spec.</param>
    /// <param name="noiseKey">Master noise key (secret, ≥ 16 bytes); never persisted.</param>
    /// <param name="owner">The state owner that feeds these counters (the runtime's input partition; empty for a single
    /// owner). Part of every counter's identity, so the same segment counted on two partitions never shares noise.</param>
    public ContinualTotals(SegmentAggregationSpec spec, ReadOnlySpan<byte> noiseKey, string owner = "")
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(owner);
        if (noiseKey.Length < 16)
        {
            throw new ArgumentException("A noise key needs at least 16 bytes.", nameof(noiseKey));
        }

        Spec = spec;
        ContentHash = spec.ContentHash;
        Owner = owner;
        _key = noiseKey.ToArray();
        foreach (var aggregate in spec.Aggregates.Where(a => a.IsContinual))
        {
            _states.Add(aggregate.Name, new ContinualAggregateState());
        }
    }

    /// <summary>The segment spec.</summary>
    public SegmentAggregationSpec Spec { get; }

    /// <summary>The spec content hash these totals are bound to.</summary>
    public string ContentHash { get; }

    /// <summary>The state owner (input partition) these totals are counted by; part of each counter's identity.</summary>
    public string Owner { get; }

    /// <summary>
    /// Whether these totals stand for counters whose state was lost: they release nothing until an operator starts
    /// a new incarnation (persisted, so a restart does not silently clear it).
    /// </summary>
    public bool IsLost { get; internal set; }

    /// <summary>Whether any counter has started (its identity is then taken: state loss must be detected).</summary>
    public bool AnyStarted => _states.Values.Any(s => s.Counter is not null);

    internal byte[] Key => _key;

    internal IReadOnlyDictionary<string, ContinualAggregateState> States => _states;

    /// <summary>The privacy cost debited for <paramref name="aggregate"/>'s counter (group privacy over W windows).</summary>
    public static PrivacyCost ChargedCost(AggregateSpec aggregate)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        var budget = aggregate.Continual ?? throw new ArgumentException("Not a continual aggregate.", nameof(aggregate));
        var w = (double)aggregate.MaxWindowsPerUnit;
        return budget.Kind == PrivacyCostKind.PureDp
            ? PrivacyCost.Pure(budget.Epsilon.Scale(w))
            : PrivacyCost.Zcdp(new Rho(Math.BitIncrement(budget.Rho.Value * w * w)));
    }

    /// <summary>Serialises every counter and its last release (the key is not included).</summary>
    /// <remarks>
    /// Layout v2: version byte; segment; spec content hash; lost flag; aggregate count; per aggregate in ordinal
    /// order: name, incarnation, last window, last output, last step, counter state (length-prefixed, empty before
    /// the counter starts).
    /// </remarks>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(Spec.Segment);
            writer.Write(ContentHash);
            writer.Write(IsLost);
            writer.Write(_states.Count);
            foreach (var (name, state) in _states.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                writer.Write(name);
                writer.Write(state.Incarnation);
                writer.Write(state.LastWindow);
                writer.Write(state.LastOutput);
                writer.Write(state.LastStep);
                var counter = state.Counter?.ToBytes() ?? [];
                writer.Write(counter.Length);
                writer.Write(counter);
            }
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Restores totals written by <see cref="ToBytes"/> under the same spec content and key; throws
    /// <see cref="FormatException"/> when the state is unreadable or bound to other content. Prefer
    /// <see cref="ContinualRestore.Restore"/>, which decides what a failure means.
    /// </summary>
    public static ContinualTotals FromBytes(SegmentAggregationSpec spec, ReadOnlySpan<byte> noiseKey, ReadOnlySpan<byte> state, string owner = "") =>
        ContinualTotalsReader.Read(spec, noiseKey, state, owner);

    internal AggregateReleaseResult Release(SealedWindow window, SealedAggregate sealedAggregate, AggregateSpec spec, BudgetLedger ledger)
    {
        var state = _states[spec.Name];
        var key = new ReleaseKey(window.WindowIndex, "continual/" + spec.Name + "/" + ContentHash);
        if (IsLost)
        {
            return Suppressed(spec, key, SuppressionReason.ContinualStateLost);
        }

        if (window.WindowIndex == state.LastWindow)
        {
            // A retry of the window the counter consumed last: re-emit the stored total, consume nothing.
            var replay = BuildRelease(window, spec, state);
            return new AggregateReleaseResult(ReleaseOutcome.Replayed, spec.Name, true, key, null, replay, ReleaseJson.Serialize(replay), SuppressionReason.None);
        }

        if (window.WindowIndex < state.LastWindow)
        {
            return Suppressed(spec, key, SuppressionReason.ContinualStepPassed);
        }

        PrivacyCost? charged = null;
        if (state.Counter is null)
        {
            var cost = ChargedCost(spec);
            var debit = ledger.TryDebit(key, cost);
            if (debit.Outcome != DebitOutcome.Debited)
            {
                // Paid before (AlreadyDebited) means this identity was started and its state is gone: fail closed.
                return Suppressed(spec, key, debit.IsPaid ? SuppressionReason.LabelReuseRefused : WindowReleaser.Map(debit.Reason));
            }

            charged = cost;
            state.Incarnation = string.Create(CultureInfo.InvariantCulture, $"{window.WindowIndex}.{debit.Record!.Sequence}");
            state.Counter = ContinualCounter.Create(Options(spec, state.Incarnation), _key);
        }

        var value = spec.Kind == AggregateKind.Count ? sealedAggregate.Count : sealedAggregate.Sum;
        state.LastOutput = state.Counter.Release(value);
        state.LastStep = state.Counter.Steps;
        state.LastWindow = window.WindowIndex;
        var release = BuildRelease(window, spec, state);
        return new AggregateReleaseResult(ReleaseOutcome.Released, spec.Name, true, key, charged, release, ReleaseJson.Serialize(release), SuppressionReason.None);
    }

    /// <summary>The counter options of <paramref name="spec"/>'s counter incarnation <paramref name="incarnation"/>.</summary>
    internal ContinualCounterOptions Options(AggregateSpec spec, string incarnation)
    {
        var budget = spec.Continual!.Value;
        var sensitivity = spec.Kind == AggregateKind.Count
            ? spec.MaxContributionsPerWindow
            : spec.MaxContributionsPerWindow * spec.Clamp!.Value.MaxMagnitude;
        return new ContinualCounterOptions
        {
            CounterId = AggregateIdentity.For(Purpose, spec, Spec).Of("owner", Owner).Of("incarnation", incarnation).Label,
            Mechanism = budget.Kind == PrivacyCostKind.PureDp ? CounterMechanism.BinaryTreeHonaker : CounterMechanism.BufferedToeplitz,
            Log2Horizon = spec.ContinualLog2Horizon,
            Sensitivity = sensitivity,
            Budget = budget,
        };
    }

    private static AggregateReleaseResult Suppressed(AggregateSpec spec, ReleaseKey key, SuppressionReason reason) =>
        new(ReleaseOutcome.Suppressed, spec.Name, true, key, null, null, null, reason);

    private WindowRelease BuildRelease(SealedWindow window, AggregateSpec spec, ContinualAggregateState state)
    {
        var counter = state.Counter!;
        var charged = ChargedCost(spec);
        var pure = charged.Kind == PrivacyCostKind.PureDp;
        var deviation = Math.Sqrt(counter.Variance(state.LastStep));

        // Chebyshev: P(|noise| ≥ sd/√α) ≤ α for any zero-mean noise, so the interval is valid for both counters.
        var halfWidth = deviation / Math.Sqrt(1 - spec.ConfidenceLevel);
        var processing = spec.EffectivePostProcess;
        var interval = ReleasePostProcessor.Apply(
            processing, state.LastOutput, new(state.LastOutput - halfWidth, state.LastOutput + halfWidth, spec.ConfidenceLevel), out var value);
        var reportingDelta = new Delta(Spec.Budget.ReportingDelta);
        return new WindowRelease
        {
            Segment = Spec.Segment,
            PolicyVersion = Spec.PolicyVersion,
            Aggregate = spec.Name,
            Kind = spec.Kind,
            Continual = true,
            WindowIndex = window.WindowIndex,
            WindowStartMs = window.StartMs,
            WindowEndMs = window.EndMs,
            Mechanism = pure ? "binary-tree-honaker-laplace" : "buffered-toeplitz-gaussian",
            Epsilon = pure ? charged.Epsilon.Value : ZcdpConversion.ToEpsilon(charged.Rho, reportingDelta).Value,
            Delta = pure ? 0 : reportingDelta.Value,
            Rho = pure ? null : charged.Rho.Value,
            NoiseScale = deviation,
            Value = value,
            Interval = interval,
            Step = state.LastStep,
            PostProcess = ReleasePostProcessor.Names(processing),
        };
    }
}
