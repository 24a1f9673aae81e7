using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Identity;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Core.Release;

/// <summary>
/// The pure part of a window release: (sealed aggregate, spec, noise key) → release and cost. Noise comes from the
/// <see cref="NoiseIdentity"/> of (mechanism and all its parameters, spec content hash, segment, aggregate, window
/// index), so recomputing a release yields the same noise on the same (sealed, hence unchanged) value, and any change
/// of the mechanism gives independent noise. Nothing derived from the exact state enters the label or the release
/// key; the ledger's value digest (<see cref="AggregateIdentity.ValueDigest"/>, state only) catches a second value.
/// </summary>
internal static class ReleaseCalculator
{
    /// <summary>Purpose of window-release draws in their <see cref="NoiseIdentity"/>.</summary>
    public const string Purpose = "window-release";

    /// <summary>
    /// The identity of the draws of <paramref name="spec"/>'s release for window <paramref name="windowIndex"/> by the
    /// state owner <paramref name="owner"/> (input partition; empty for a single owner).
    /// </summary>
    public static NoiseIdentity Identity(AggregateSpec spec, SegmentAggregationSpec segment, long windowIndex, string owner = "") =>
        AggregateIdentity.For(Purpose, spec, segment).Of("owner", owner).Of("window", windowIndex);

    public static (WindowRelease Release, PrivacyCost Cost) Compute(
        SealedWindow window,
        SealedAggregate sealedAggregate,
        AggregateSpec spec,
        SegmentAggregationSpec segment,
        ReadOnlySpan<byte> noiseKey,
        string owner = "")
    {
        var random = Identity(spec, segment, window.WindowIndex, owner).Stream(noiseKey);
        var template = new WindowRelease
        {
            Segment = segment.Segment,
            PolicyVersion = segment.PolicyVersion,
            Aggregate = spec.Name,
            Kind = spec.Kind,
            WindowIndex = window.WindowIndex,
            WindowStartMs = window.StartMs,
            WindowEndMs = window.EndMs,
            Mechanism = string.Empty,
            Epsilon = 0,
            Delta = 0,
            NoiseScale = 0,
        };
        var zcdp = segment.Budget.Accountant == AccountantKind.Zcdp;
        var bounds = spec.Bounds;
        switch (spec.Kind)
        {
            case AggregateKind.Count:
            {
                var result = CountMechanism.Release(random, sealedAggregate.Count, bounds, spec.Noise, spec.ConfidenceLevel);
                return Scalar(template, result, Cost(spec.Noise, result, 1, spec.MaxContributionsPerWindow, zcdp), spec.EffectivePostProcess);
            }

            case AggregateKind.Sum:
            {
                var clamp = spec.Clamp!.Value;
                var result = SumMechanism.Release(random, sealedAggregate.Sum, clamp, bounds, spec.Noise, spec.ConfidenceLevel);
                var sensitivity = spec.MaxContributionsPerWindow * clamp.MaxMagnitude;
                return Scalar(template, result, Cost(spec.Noise, result, 1, sensitivity, zcdp), spec.EffectivePostProcess);
            }

            case AggregateKind.Mean:
            {
                var result = MeanMechanism.Release(
                    random, sealedAggregate.Sum, sealedAggregate.Count, spec.Clamp!.Value, bounds, spec.Noise, spec.ConfidenceLevel);

                // Gaussian means are rejected under zCDP by validation, so (ε, δ) is the right currency here.
                return Scalar(template, result, ApproximateCost(spec.Noise), spec.EffectivePostProcess);
            }

            case AggregateKind.Histogram:
                return Histogram(template, sealedAggregate, spec, random, zcdp);

            default:
            {
                var scores = sealedAggregate.Bins.Select(b => (double)b).ToArray();
                var selection = TopKMechanism.Select(
                    random, spec.Domain, scores, spec.K, spec.MaxContributionsPerWindow, spec.Noise.Epsilon);
                var release = template with
                {
                    Mechanism = selection.Mechanism,
                    Epsilon = selection.Epsilon.Value,
                    Delta = 0,
                    NoiseScale = selection.ScoreSensitivity,
                    Selected = selection.Selected,
                };
                return (release, PrivacyCost.Pure(selection.Epsilon));
            }
        }
    }

    private static (WindowRelease, PrivacyCost) Histogram(
        WindowRelease template, SealedAggregate sealedAggregate, AggregateSpec spec, IRandomSource random, bool zcdp)
    {
        var counts = new Dictionary<string, long>(spec.Domain.Count, StringComparer.Ordinal);
        for (var i = 0; i < spec.Domain.Count; i++)
        {
            counts[spec.Domain[i]] = sealedAggregate.Bins[i];
        }

        var bins = HistogramMechanism.Release(random, counts, spec.Domain, spec.Bounds, spec.Noise, spec.ConfidenceLevel);
        var first = bins[0].Result;
        var l0 = Math.Min(spec.MaxPartitionsPerUnit, spec.Domain.Count);
        var cost = Cost(spec.Noise, first, l0, spec.MaxContributionsPerWindow, zcdp);
        var release = template with
        {
            Mechanism = first.Mechanism,
            Epsilon = first.Epsilon.Value,
            Delta = first.Delta.Value,
            Rho = cost.Kind == PrivacyCostKind.Zcdp ? cost.Rho.Value : null,
            NoiseScale = first.NoiseScale,
            PostProcess = ReleasePostProcessor.Names(spec.EffectivePostProcess),
            Bins = [.. bins.Select(b => Bin(b.Key, b.Result, spec.EffectivePostProcess))],
        };
        return (release, cost);
    }

    private static ReleasedBin Bin(string key, ReleaseResult result, ReleasePostProcessing processing)
    {
        var (value, lower, upper) = ReleasePostProcessor.Apply(
            processing, result.Value, result.ConfidenceInterval.Lower, result.ConfidenceInterval.Upper);
        return new ReleasedBin(key, value, lower, upper);
    }

    private static (WindowRelease, PrivacyCost) Scalar(
        WindowRelease template, ReleaseResult result, PrivacyCost cost, ReleasePostProcessing processing)
    {
        var interval = ReleasePostProcessor.Apply(processing, result.Value, result.ConfidenceInterval, out var value);
        return (template with
        {
            Mechanism = result.Mechanism,
            Epsilon = result.Epsilon.Value,
            Delta = result.Delta.Value,
            Rho = cost.Kind == PrivacyCostKind.Zcdp ? cost.Rho.Value : null,
            NoiseScale = result.NoiseScale,
            Value = value,
            Interval = interval,
            PostProcess = ReleasePostProcessor.Names(processing),
        }, cost);
    }

    private static PrivacyCost ApproximateCost(NoiseParameters noise) => noise.Kind == NoiseKind.Laplace
        ? PrivacyCost.Pure(noise.Epsilon)
        : PrivacyCost.Approximate(noise.Epsilon, noise.Delta);

    /// <summary>
    /// Under zCDP a discrete Gaussian with σ = m lattice steps on coordinates that move by at most s steps each, in
    /// at most L0 coordinates, is L0·s²/(2m²)-zCDP exactly (Canonne, Kamath, Steinke 2020), with s = ⌈L∞/g⌉ charging
    /// the lattice rounding. That ρ, not a conversion of (ε, δ), is what the zCDP ledger is charged.
    /// </summary>
    private static PrivacyCost Cost(NoiseParameters noise, ReleaseResult result, int l0, double lInfinity, bool zcdp)
    {
        if (!zcdp || noise.Kind == NoiseKind.Laplace)
        {
            return ApproximateCost(noise);
        }

        var steps = Math.Ceiling(lInfinity / result.Granularity);
        var sigmaSteps = result.NoiseScale / result.Granularity;
        var rho = l0 * steps * steps / (2 * sigmaSteps * sigmaSteps);
        return PrivacyCost.Zcdp(new Rho(Math.BitIncrement(Math.BitIncrement(rho))));
    }
}
