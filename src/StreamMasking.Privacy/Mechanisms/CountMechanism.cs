using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Mechanisms;

/// <summary>Noisy count of one partition. Sensitivity: one unit adds at most L∞ records to a partition.</summary>
public static class CountMechanism
{
    /// <summary>Releases <paramref name="count"/> with noise calibrated to <paramref name="bounds"/>.</summary>
    public static ReleaseResult Release(
        IRandomSource random,
        long count,
        ContributionBounds bounds,
        NoiseParameters noise,
        double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(random);
        var calibrated = CalibratedNoise.Create(noise, 1, bounds.MaxContributionsPerPartition, confidenceLevel);
        return calibrated.Apply(random, count, CalibratedNoise.Name(noise, "count"));
    }
}
