using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Core.Aggregation;

/// <summary>
/// The pure part of a window release: (sealed aggregate, spec, policy version, noise key) → release and cost.
/// Noise comes from a <see cref="KeyedRandomSource"/> labelled by (segment, window start, aggregate, policy
/// version, keyed digest of the sealed state), so recomputing a release yields the same noise on the same (sealed, hence unchanged) value.
/// </summary>
internal static class ReleaseCalculator
{
    private const string Domain = "StreamMasking.WindowRelease/v1";

    private static readonly byte[] s_fingerprintDomain = Encoding.UTF8.GetBytes("StreamMasking.SealedAggregate/v1\0");

    public static string NoiseLabel(string segment, long windowStartMs, string aggregate, string policyVersion, string fingerprint) =>
        KeyedRandomSource.ComposeLabel(
            Domain,
            segment,
            windowStartMs.ToString(CultureInfo.InvariantCulture),
            aggregate,
            policyVersion,
            fingerprint);

    /// <summary>
    /// A keyed digest of the sealed state (HMAC under the noise key, so it reveals nothing about the value without
    /// the key). It is part of the release key and the noise label: if a window were ever released again from a
    /// <i>different</i> state, that release gets its own debit and independent noise, never the same noise on a
    /// different value (which would reveal the difference exactly).
    /// </summary>
    public static string Fingerprint(SealedAggregate sealedAggregate, ReadOnlySpan<byte> noiseKey)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(s_fingerprintDomain);
            writer.Write(sealedAggregate.Name);
            writer.Write((byte)sealedAggregate.Kind);
            writer.Write(sealedAggregate.Count);
            writer.Write(sealedAggregate.Sum);
            AggregateAccumulator.WriteBins(writer, sealedAggregate.Bins);
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(noiseKey, stream.ToArray()).AsSpan(0, 8));
    }

    public static (WindowRelease Release, PrivacyCost Cost) Compute(
        SealedWindow window,
        SealedAggregate sealedAggregate,
        AggregateSpec spec,
        SegmentAggregationSpec segment,
        ReadOnlySpan<byte> noiseKey,
        string fingerprint)
    {
        var label = NoiseLabel(segment.Segment, window.StartMs, spec.Name, segment.PolicyVersion, fingerprint);
        var random = new KeyedRandomSource(noiseKey, label);
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
                return Scalar(template, result, Cost(spec.Noise, result, 1, spec.MaxContributionsPerWindow, zcdp));
            }

            case AggregateKind.Sum:
            {
                var clamp = spec.Clamp!.Value;
                var result = SumMechanism.Release(random, sealedAggregate.Sum, clamp, bounds, spec.Noise, spec.ConfidenceLevel);
                var sensitivity = spec.MaxContributionsPerWindow * clamp.MaxMagnitude;
                return Scalar(template, result, Cost(spec.Noise, result, 1, sensitivity, zcdp));
            }

            case AggregateKind.Mean:
            {
                var result = MeanMechanism.Release(
                    random, sealedAggregate.Sum, sealedAggregate.Count, spec.Clamp!.Value, bounds, spec.Noise, spec.ConfidenceLevel);

                // Gaussian means are rejected under zCDP by validation, so (ε, δ) is the right currency here.
                return Scalar(template, result, ApproximateCost(spec.Noise));
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
            Bins = [.. bins.Select(b => new ReleasedBin(b.Key, b.Result.Value, b.Result.ConfidenceInterval.Lower, b.Result.ConfidenceInterval.Upper))],
        };
        return (release, cost);
    }

    private static (WindowRelease, PrivacyCost) Scalar(WindowRelease template, ReleaseResult result, PrivacyCost cost) =>
        (template with
        {
            Mechanism = result.Mechanism,
            Epsilon = result.Epsilon.Value,
            Delta = result.Delta.Value,
            Rho = cost.Kind == PrivacyCostKind.Zcdp ? cost.Rho.Value : null,
            NoiseScale = result.NoiseScale,
            Value = result.Value,
            Interval = result.ConfidenceInterval,
        }, cost);

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
