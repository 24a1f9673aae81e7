using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Mechanisms;

/// <summary>
/// Noisy mean of clamped values: half the budget on the count, half on the sum of values centred on the clamp
/// midpoint (whose per-record sensitivity is half the range, not the largest magnitude), then
/// mean = midpoint + noisy centred sum / noisy count, clamped to the bounds. Sequential composition: the whole
/// release costs the given (ε, δ).
/// </summary>
public static class MeanMechanism
{
    /// <summary>Releases the mean of <paramref name="count"/> clamped values whose sum is <paramref name="sumOfClampedValues"/>.</summary>
    public static ReleaseResult Release(
        IRandomSource random,
        double sumOfClampedValues,
        long count,
        ClampBounds clamp,
        ContributionBounds bounds,
        NoiseParameters noise,
        double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var half = noise.Split(0.5);

        // Union bound: both parts hold at level 1 − α/2, so the derived interval holds at level 1 − α.
        var partLevel = 1 - ((1 - confidenceLevel) / 2);
        var countNoise = CalibratedNoise.Create(half, 1, bounds.MaxContributionsPerPartition, partLevel);
        var halfRange = (clamp.Upper - clamp.Lower) / 2;
        var midpoint = clamp.Midpoint;
        if (halfRange <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(clamp), "Clamp bounds with lower == upper leave nothing to estimate.");
        }

        var sumNoise = CalibratedNoise.Create(half, 1, bounds.MaxContributionsPerPartition * halfRange, partLevel);
        var noisyCount = countNoise.Apply(random, count, "count");
        var noisySum = sumNoise.Apply(random, sumOfClampedValues - (count * midpoint), "sum");

        var denominator = Math.Max(1, noisyCount.Value);
        var mean = Math.Clamp(midpoint + (noisySum.Value / denominator), clamp.Lower, clamp.Upper);
        var interval = Interval(noisySum.ConfidenceInterval, noisyCount.ConfidenceInterval, clamp, confidenceLevel);
        return new ReleaseResult(
            mean,
            CalibratedNoise.Name(noise, "mean"),
            noise.Epsilon,
            noise.Delta,
            Math.Max(countNoise.Scale, sumNoise.Scale),
            Math.Max(countNoise.Granularity, sumNoise.Granularity),
            interval);
    }

    private static ConfidenceInterval Interval(ConfidenceInterval sum, ConfidenceInterval count, ClampBounds clamp, double level)
    {
        if (count.Lower < 1)
        {
            // The count may be ~0: the mean is then unconstrained within the declared bounds.
            return new ConfidenceInterval(clamp.Lower, clamp.Upper, level);
        }

        var midpoint = clamp.Midpoint;
        double[] corners = [sum.Lower / count.Lower, sum.Lower / count.Upper, sum.Upper / count.Lower, sum.Upper / count.Upper];
        var lower = Math.Clamp(midpoint + corners.Min(), clamp.Lower, clamp.Upper);
        var upper = Math.Clamp(midpoint + corners.Max(), clamp.Lower, clamp.Upper);
        return new ConfidenceInterval(lower, upper, level);
    }
}
