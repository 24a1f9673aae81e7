using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Sampling;

namespace StreamMasking.Privacy.Tests.Mechanisms;

public class MechanismPropertyTests
{
    private static Arbitrary<double> Values() =>
        ArbMap.Default.GeneratorFor<NormalFloat>().Select(f => f.Get).Where(v => Math.Abs(v) < 1e9).ToArbitrary();

    private static Arbitrary<double> Epsilons() =>
        Gen.Choose(1, 4000).Select(i => i / 1000.0).ToArbitrary();

    private static bool OnLattice(ReleaseResult result)
    {
        var quotient = result.Value / result.Granularity;
        return Math.Floor(quotient) == quotient
            && result.ConfidenceInterval.Lower <= result.Value
            && result.Value <= result.ConfidenceInterval.Upper;
    }

    [Property(MaxTest = 300)]
    public Property SumRelease_AnyInput_ValueOnLatticeInsideItsInterval() =>
        Prop.ForAll(Values(), Epsilons(), ArbMap.Default.ArbFor<bool>(), (sum, epsilon, gaussian) =>
        {
            var noise = gaussian ? NoiseParameters.Gaussian(epsilon, 1e-7) : NoiseParameters.Laplace(epsilon);
            var result = SumMechanism.Release(
                new SeededRandomSource((ulong)epsilon.GetHashCode()), sum, new ClampBounds(-3.5, 100), new ContributionBounds(1, 2), noise);
            return OnLattice(result);
        });

    [Property(MaxTest = 300)]
    public Property HistogramRelease_AnyCounts_EveryBinOnLattice() =>
        Prop.ForAll(ArbMap.Default.ArbFor<long[]>(), Epsilons(), (raw, epsilon) =>
        {
            var counts = raw.Take(4).Select((c, i) => (Key: $"k{i}", Count: Math.Abs(c % 1_000_000)))
                .ToDictionary(p => p.Key, p => p.Count);
            var bins = HistogramMechanism.Release(
                new SeededRandomSource(3), counts, ["k0", "k1", "k2", "k3"], new ContributionBounds(2, 3), NoiseParameters.Laplace(epsilon));
            return bins.All(b => OnLattice(b.Result));
        });

    // The sensitivity charge rests on this: half-up rounding moves points at distance d at most ⌈d/g⌉ lattice steps
    // apart. x ∈ [1, 2^20) and 0 ≤ d ≤ x keep y − x exact (Sterbenz), so the check itself does not round.
    [Property(MaxTest = 3000)]
    public Property RoundToLattice_NearbyPair_DistanceWithinChargedSensitivity() =>
        Prop.ForAll(
            Gen.Choose(0, int.MaxValue).Select(i => 1 + (i / (double)int.MaxValue * ((1 << 20) - 2))).ToArbitrary(),
            Gen.Choose(0, 100_000).ToArbitrary(),
            Gen.Choose(-30, 4).ToArbitrary(),
            (x, k, exponent) =>
            {
                var granularity = Math.ScaleB(1, exponent);
                var y = x + Math.Min(x, k * granularity / 7.3);
                var distance = y - x;
                var rounded = GranularNoise.RoundToLattice(y, granularity) - GranularNoise.RoundToLattice(x, granularity);
                return rounded >= 0 && rounded <= GranularNoise.ChargedSensitivity(distance, granularity);
            });
}
