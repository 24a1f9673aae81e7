using System.Numerics;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Sampling;

namespace StreamMasking.Privacy.Mechanisms;

/// <summary>
/// k-ary randomized response (local ε-DP): the true category is reported with probability
/// p = e^ε/(e^ε + k − 1), every other category with q = 1/(e^ε + k − 1). Booleans are k = 2. Sampling is exact:
/// a uniform proposal is accepted with probability 1 if it is the true category and exp(−ε) otherwise, using the
/// exact rational value of ε and <see cref="BernoulliExp"/>, so no floating-point probability is ever compared.
/// </summary>
public sealed class RandomizedResponse
{
    private readonly BigInteger _epsilonNumerator;
    private readonly BigInteger _epsilonDenominator;

    /// <summary>Creates the mechanism for <paramref name="categoryCount"/> ≥ 2 categories and budget <paramref name="epsilon"/> &gt; 0.</summary>
    public RandomizedResponse(int categoryCount, Epsilon epsilon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(categoryCount, 2);
        if (epsilon.Value <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), "Epsilon must be positive.");
        }

        CategoryCount = categoryCount;
        Epsilon = epsilon;
        var rational = DyadicRational.FromDouble(epsilon.Value);
        _epsilonNumerator = rational.Numerator;
        _epsilonDenominator = rational.Denominator;
        var e = Math.Exp(epsilon.Value);
        TruthProbability = e / (e + categoryCount - 1);
        OtherProbability = 1 / (e + categoryCount - 1);
    }

    /// <summary>Number of categories k.</summary>
    public int CategoryCount { get; }

    /// <summary>Local privacy loss of one report.</summary>
    public Epsilon Epsilon { get; }

    /// <summary>p = e^ε/(e^ε + k − 1).</summary>
    public double TruthProbability { get; }

    /// <summary>q = 1/(e^ε + k − 1), the probability of each particular wrong category.</summary>
    public double OtherProbability { get; }

    /// <summary>Mechanism name for audit records.</summary>
    public string Mechanism => CategoryCount == 2 ? "randomized-response-binary" : "randomized-response-k-ary";

    /// <summary>Boolean randomized response with budget <paramref name="epsilon"/>.</summary>
    public static RandomizedResponse ForBoolean(Epsilon epsilon) => new(2, epsilon);

    /// <summary>Reports a category index for the true index <paramref name="trueCategory"/>.</summary>
    public int Report(IRandomSource random, int trueCategory)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(trueCategory);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(trueCategory, CategoryCount);
        while (true)
        {
            var proposal = (int)random.NextBelow((ulong)CategoryCount);
            if (proposal == trueCategory || BernoulliExp.Sample(random, _epsilonNumerator, _epsilonDenominator))
            {
                return proposal;
            }
        }
    }

    /// <summary>Reports a boolean (category 1 = true).</summary>
    public bool Report(IRandomSource random, bool value) => Report(random, value ? 1 : 0) == 1;

    /// <summary>
    /// Unbiased estimates of the true category counts from reported counts: (n_v − n·q)/(p − q). Estimates can be
    /// negative or exceed n; that is the price of unbiasedness (clip only after aggregating, if at all).
    /// </summary>
    public double[] EstimateCounts(IReadOnlyList<long> reportedCounts)
    {
        ArgumentNullException.ThrowIfNull(reportedCounts);
        if (reportedCounts.Count != CategoryCount)
        {
            throw new ArgumentException("One reported count per category is required.", nameof(reportedCounts));
        }

        double total = reportedCounts.Sum();
        var estimates = new double[CategoryCount];
        for (var i = 0; i < CategoryCount; i++)
        {
            estimates[i] = (reportedCounts[i] - (total * OtherProbability)) / (TruthProbability - OtherProbability);
        }

        return estimates;
    }

    /// <summary>Standard deviation of each count estimate when the category's true count is <paramref name="trueCount"/> of <paramref name="total"/>.</summary>
    public double EstimateStandardDeviation(double trueCount, long total)
    {
        var p = TruthProbability;
        var q = OtherProbability;
        var variance = (trueCount * p * (1 - p)) + ((total - trueCount) * q * (1 - q));
        return Math.Sqrt(Math.Max(0, variance)) / (p - q);
    }
}
