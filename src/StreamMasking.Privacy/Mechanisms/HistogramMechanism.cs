using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Mechanisms;

/// <summary>
/// Noisy counts for every key of a <b>declared</b> domain, including keys with count zero: releasing only observed
/// keys would reveal their presence without noise. Keys outside the domain are never released. Sensitivity: one unit
/// touches at most min(L0, |domain|) bins, each by at most L∞ (L1 = L0·L∞ for Laplace; L2 = √L0·L∞ for Gaussian).
/// </summary>
public static class HistogramMechanism
{
    /// <summary>Releases one noisy count per domain key, in domain order.</summary>
    public static IReadOnlyList<HistogramBin> Release(
        IRandomSource random,
        IReadOnlyDictionary<string, long> counts,
        IReadOnlyList<string> domain,
        ContributionBounds bounds,
        NoiseParameters noise,
        double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.Count == 0 || domain.Distinct(StringComparer.Ordinal).Count() != domain.Count)
        {
            throw new ArgumentException("The histogram domain must be non-empty and without duplicates.", nameof(domain));
        }

        var l0 = Math.Min(bounds.MaxPartitionsPerUnit, domain.Count);
        var calibrated = CalibratedNoise.Create(noise, l0, bounds.MaxContributionsPerPartition, confidenceLevel);
        var name = CalibratedNoise.Name(noise, "histogram");
        var bins = new HistogramBin[domain.Count];
        for (var i = 0; i < domain.Count; i++)
        {
            var count = counts.TryGetValue(domain[i], out var c) ? c : 0;
            bins[i] = new HistogramBin(domain[i], calibrated.Apply(random, count, name));
        }

        return bins;
    }
}
