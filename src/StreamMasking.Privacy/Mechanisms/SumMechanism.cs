using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Mechanisms;

/// <summary>
/// Noisy sum of clamped values in one partition. Sensitivity: one unit adds at most L∞ values, each of magnitude at
/// most max(|lower|, |upper|) after clamping.
/// </summary>
public static class SumMechanism
{
    /// <summary>
    /// Releases <paramref name="sumOfClampedValues"/>, which the caller computed from values passed through
    /// <see cref="ClampBounds.Clamp"/> with the same <paramref name="clamp"/>.
    /// </summary>
    public static ReleaseResult Release(
        IRandomSource random,
        double sumOfClampedValues,
        ClampBounds clamp,
        ContributionBounds bounds,
        NoiseParameters noise,
        double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(random);
        var sensitivity = bounds.MaxContributionsPerPartition * clamp.MaxMagnitude;
        if (sensitivity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(clamp), "Clamp bounds [0, 0] make every sum zero; nothing to release.");
        }

        var calibrated = CalibratedNoise.Create(noise, 1, sensitivity, confidenceLevel);
        return calibrated.Apply(random, sumOfClampedValues, CalibratedNoise.Name(noise, "sum"));
    }
}
