namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>
/// Honaker's variance reduction for binary-tree counters, in the online form that uses only nodes already
/// released (Honaker 2015, "Efficient use of differentially private binary trees"; the online variant as used by
/// Kairouz et al. 2021, "Practical and private (deep) learning without sampling or shuffling", Appendix).
/// </summary>
/// <remarks>
/// When node v at level h ≥ 1 completes, both children are complete, so v's sum has two independent unbiased
/// estimates: its own noisy value (variance v₀, the per-node noise variance) and the sum of its children's improved
/// estimates (variance 2·v_{h−1}). Their inverse-variance weighted mean
/// <code>  ṽ = (noisy/v₀ + (left + right)/(2·v_{h−1})) / (1/v₀ + 1/(2·v_{h−1}))  </code>
/// has variance v_h = 1 / (1/v₀ + 1/(2·v_{h−1})), decreasing from v₀ toward v₀/2. The prefix [1, t] is the disjoint
/// union of one completed node per set bit of t; their estimates use disjoint noise, so
/// Var(output_t) = Σ_{h : bit h of t set} v_h. This is post-processing: privacy is unchanged.
/// </remarks>
internal static class HonakerEstimator
{
    /// <summary>v_h / v₀ for h = 0..levels−1 (all 1 without Honaker).</summary>
    public static double[] RelativeLevelVariances(int levels, bool honaker)
    {
        var v = new double[levels];
        v[0] = 1;
        for (var h = 1; h < levels; h++)
        {
            v[h] = honaker ? 1 / (1 + (1 / (2 * v[h - 1]))) : 1;
        }

        return v;
    }

    /// <summary>Weight of the node's own noisy value in its improved estimate at level h ≥ 1 (children get 1 − w).</summary>
    public static double SelfWeight(double[] relativeVariances, int level) => relativeVariances[level];

    /// <summary>Σ over set bits h of <paramref name="step"/> of v_h / v₀.</summary>
    public static double RelativePrefixVariance(double[] relativeVariances, long step)
    {
        var sum = 0.0;
        for (var h = 0; h < relativeVariances.Length && (step >> h) != 0; h++)
        {
            if (((step >> h) & 1) != 0)
            {
                sum += relativeVariances[h];
            }
        }

        return sum;
    }
}
