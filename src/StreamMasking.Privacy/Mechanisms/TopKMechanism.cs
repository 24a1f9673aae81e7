using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Sampling;

namespace StreamMasking.Privacy.Mechanisms;

/// <summary>
/// Top-k over a declared candidate list by repeated permute-and-flip (McKenna and Sheldon 2020), each round at ε/k.
/// Permute-and-flip is never worse than the exponential mechanism in expected utility and is exact here: candidates
/// are visited in a uniformly random order and candidate r is accepted with probability exp(−ε(q* − q_r)/(2Δ)),
/// evaluated with <see cref="BernoulliExp"/> on the exact rational values of ε, Δ and the scores (every double is a
/// dyadic rational), so no floating-point exp, log or Gumbel trick touches the randomness.
/// </summary>
/// <remarks>
/// The candidate list must not depend on the data (declare it, e.g. the histogram domain); choosing candidates
/// from observed keys leaks their presence. Running time depends on the random order (timing channel).
/// </remarks>
public static class TopKMechanism
{
    /// <summary>Selects <paramref name="k"/> distinct candidates with high scores.</summary>
    public static TopKRelease Select(
        IRandomSource random,
        IReadOnlyList<string> candidates,
        IReadOnlyList<double> scores,
        int k,
        double scoreSensitivity,
        Epsilon epsilon)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(scores);
        if (candidates.Count != scores.Count || candidates.Count == 0)
        {
            throw new ArgumentException("One score per candidate, and at least one candidate, are required.", nameof(scores));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, candidates.Count);
        if (!(scoreSensitivity > 0 && double.IsFinite(scoreSensitivity)))
        {
            throw new ArgumentOutOfRangeException(nameof(scoreSensitivity), "Score sensitivity must be finite and positive.");
        }

        if (epsilon.Value <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), "Epsilon must be positive.");
        }

        var roundEpsilon = DyadicRational.FromDouble(epsilon.Value) / DyadicRational.FromDouble(k);
        var remaining = Enumerable.Range(0, candidates.Count).ToList();
        var selected = new List<string>(k);
        for (var round = 0; round < k; round++)
        {
            var index = PermuteAndFlip(random, remaining, scores, scoreSensitivity, roundEpsilon);
            selected.Add(candidates[remaining[index]]);
            remaining.RemoveAt(index);
        }

        return new TopKRelease(selected, "permute-and-flip-top-k", epsilon, Delta.Zero, scoreSensitivity);
    }

    /// <summary>One permute-and-flip selection among <paramref name="pool"/>; returns a position in the pool.</summary>
    internal static int PermuteAndFlip(
        IRandomSource random,
        IReadOnlyList<int> pool,
        IReadOnlyList<double> scores,
        double scoreSensitivity,
        DyadicRational epsilon)
    {
        var best = pool.Max(i => scores[i]);
        var bestRational = DyadicRational.FromDouble(best);
        var factor = epsilon / (DyadicRational.FromDouble(scoreSensitivity) * DyadicRational.FromDouble(2));
        var order = Enumerable.Range(0, pool.Count).ToArray();
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)random.NextBelow((ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        // The best candidate is accepted with probability 1, so the scan always ends.
        foreach (var position in order)
        {
            var gap = bestRational - DyadicRational.FromDouble(scores[pool[position]]);
            var gamma = gap * factor;
            if (BernoulliExp.Sample(random, gamma.Numerator, gamma.Denominator))
            {
                return position;
            }
        }

        throw new InvalidOperationException("Permute-and-flip scanned every candidate without accepting the best one.");
    }
}
