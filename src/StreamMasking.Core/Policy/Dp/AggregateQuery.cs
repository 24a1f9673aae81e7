namespace StreamMasking.Core.Policy.Dp;

/// <summary>The query of a declared window aggregate (<c>kind</c>).</summary>
public enum AggregateQuery
{
    /// <summary><c>count</c>: records per window.</summary>
    Count,

    /// <summary><c>sum</c>: sum of a clamped numeric field.</summary>
    Sum,

    /// <summary><c>mean</c>: mean of a clamped numeric field.</summary>
    Mean,

    /// <summary><c>histogram</c>: counts per declared category.</summary>
    Histogram,

    /// <summary><c>top-k</c>: the k most frequent declared categories.</summary>
    TopK,
}
