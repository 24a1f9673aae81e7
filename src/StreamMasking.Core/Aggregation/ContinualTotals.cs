using System.Text;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.ContinualRelease;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Core.Aggregation;

/// <summary>
/// The continual running totals of one segment: one core counter per continual aggregate (binary tree with Honaker
/// estimation for a pure-ε budget, buffered-Toeplitz factorization for ρ), fed each sealed window's exact value in
/// window order. Counter noise is keyed by (segment, aggregate, policy version, node), so a restored instance
/// continues exactly as the original would have. Persist <see cref="ToBytes"/> with the ledger after every release.
/// </summary>
/// <remarks>
/// The counter's whole budget is debited once, from the ledger window of its first step. Its noise is calibrated to
/// one unit changing one window's value by at most L∞ (× clamp magnitude for sums); a unit may touch up to
/// MaxWindowsPerUnit windows (enforced by the window engine), so by group privacy the charge is ε·W (pure) or ρ·W².
/// Not thread-safe.
/// </remarks>
public sealed class ContinualTotals
{
    private const byte Version = 1;
    private readonly byte[] _key;
    private readonly Dictionary<string, ContinualAggregateState> _states = new(StringComparer.Ordinal);

    /// <summary>Creates empty totals for the continual aggregates of <paramref name="spec"/>.</summary>
    /// <param name="spec">Segment spec.</param>
    /// <param name="noiseKey">Master noise key (secret, ≥ 16 bytes); never persisted.</param>
    public ContinualTotals(SegmentAggregationSpec spec, ReadOnlySpan<byte> noiseKey)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (noiseKey.Length < 16)
        {
            throw new ArgumentException("A noise key needs at least 16 bytes.", nameof(noiseKey));
        }

        Spec = spec;
        _key = noiseKey.ToArray();
        foreach (var aggregate in spec.Aggregates.Where(a => a.IsContinual))
        {
            _states.Add(aggregate.Name, new ContinualAggregateState());
        }
    }

    /// <summary>The segment spec.</summary>
    public SegmentAggregationSpec Spec { get; }

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
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(Spec.Segment);
            writer.Write(Spec.PolicyVersion);
            writer.Write(_states.Count);
            foreach (var (name, state) in _states.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                writer.Write(name);
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

    /// <summary>Restores totals written by <see cref="ToBytes"/> under the same spec and key.</summary>
    public static ContinualTotals FromBytes(SegmentAggregationSpec spec, ReadOnlySpan<byte> noiseKey, ReadOnlySpan<byte> state)
    {
        var totals = new ContinualTotals(spec, noiseKey);
        try
        {
            using var stream = new MemoryStream(state.ToArray(), writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadByte() != Version || reader.ReadString() != spec.Segment || reader.ReadString() != spec.PolicyVersion)
            {
                throw new FormatException("Continual state belongs to another version, segment or policy version.");
            }

            var count = reader.ReadInt32();
            if (count != totals._states.Count)
            {
                throw new FormatException("Continual state does not match the spec's continual aggregates.");
            }

            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                if (!totals._states.TryGetValue(name, out var aggregateState))
                {
                    throw new FormatException("Continual state names an unknown aggregate.");
                }

                aggregateState.LastWindow = reader.ReadInt64();
                aggregateState.LastOutput = reader.ReadDouble();
                aggregateState.LastStep = reader.ReadInt64();
                var length = reader.ReadInt32();
                if (length < 0 || length > stream.Length - stream.Position)
                {
                    throw new FormatException("Counter state length out of range.");
                }

                if (length > 0)
                {
                    aggregateState.Counter = ContinualCounter.Restore(reader.ReadBytes(length), totals._key);
                }
            }

            if (stream.Position != stream.Length)
            {
                throw new FormatException("Trailing bytes after continual state.");
            }

            return totals;
        }
        catch (EndOfStreamException e)
        {
            throw new FormatException("Truncated continual state.", e);
        }
    }

    internal ReleaseOutcome Release(SealedWindow window, SealedAggregate sealedAggregate, AggregateSpec spec, BudgetLedger ledger)
    {
        var state = _states[spec.Name];
        var key = new ReleaseKey(window.WindowIndex, "continual/" + spec.Name + "/" + Spec.PolicyVersion);
        if (window.WindowIndex == state.LastWindow)
        {
            // A retry of the window the counter consumed last: re-emit the stored total, consume nothing.
            var replay = BuildRelease(window, spec, state);
            return new ReleaseOutcome(ReleaseOutcomeKind.Replayed, spec.Name, true, key, null, replay, ReleaseJson.Serialize(replay), SuppressionReason.None);
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
            if (!debit.IsPaid)
            {
                return Suppressed(spec, key, WindowReleaser.Map(debit.Reason));
            }

            charged = debit.Outcome == DebitOutcome.Debited ? cost : null;
            state.Counter = ContinualCounter.Create(Options(spec), _key);
        }

        var value = spec.Kind == AggregateKind.Count ? sealedAggregate.Count : sealedAggregate.Sum;
        state.LastOutput = state.Counter.Release(value);
        state.LastStep = state.Counter.Steps;
        state.LastWindow = window.WindowIndex;
        var release = BuildRelease(window, spec, state);
        return new ReleaseOutcome(ReleaseOutcomeKind.Released, spec.Name, true, key, charged, release, ReleaseJson.Serialize(release), SuppressionReason.None);
    }

    private static ReleaseOutcome Suppressed(AggregateSpec spec, ReleaseKey key, SuppressionReason reason) =>
        new(ReleaseOutcomeKind.Suppressed, spec.Name, true, key, null, null, null, reason);

    private ContinualCounterOptions Options(AggregateSpec spec)
    {
        var budget = spec.Continual!.Value;
        var sensitivity = spec.Kind == AggregateKind.Count
            ? spec.MaxContributionsPerWindow
            : spec.MaxContributionsPerWindow * spec.Clamp!.Value.MaxMagnitude;
        return new ContinualCounterOptions
        {
            CounterId = KeyedRandomSource.ComposeLabel("StreamMasking.ContinualTotal/v1", Spec.Segment, spec.Name, Spec.PolicyVersion),
            Mechanism = budget.Kind == PrivacyCostKind.PureDp ? CounterMechanism.BinaryTreeHonaker : CounterMechanism.BufferedToeplitz,
            Log2Horizon = spec.ContinualLog2Horizon,
            Sensitivity = sensitivity,
            Budget = budget,
        };
    }

    private WindowRelease BuildRelease(SealedWindow window, AggregateSpec spec, ContinualAggregateState state)
    {
        var counter = state.Counter!;
        var charged = ChargedCost(spec);
        var pure = charged.Kind == PrivacyCostKind.PureDp;
        var deviation = Math.Sqrt(counter.Variance(state.LastStep));

        // Chebyshev: P(|noise| ≥ sd/√α) ≤ α for any zero-mean noise, so the interval is valid for both counters.
        var halfWidth = deviation / Math.Sqrt(1 - spec.ConfidenceLevel);
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
            Value = state.LastOutput,
            Interval = new(state.LastOutput - halfWidth, state.LastOutput + halfWidth, spec.ConfidenceLevel),
            Step = state.LastStep,
        };
    }
}

