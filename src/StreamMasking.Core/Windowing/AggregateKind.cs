namespace StreamMasking.Core.Windowing;

/// <summary>The query a window aggregate answers. Values are persisted: never renumber.</summary>
public enum AggregateKind : byte
{
    /// <summary>Number of records (bounded per privacy unit).</summary>
    Count = 1,

    /// <summary>Sum of a clamped numeric field.</summary>
    Sum = 2,

    /// <summary>Mean of a clamped numeric field (half the budget on the count, half on the sum).</summary>
    Mean = 3,

    /// <summary>Counts per key of a declared domain, zeros included.</summary>
    Histogram = 4,

    /// <summary>The k most frequent keys of a declared domain (permute-and-flip).</summary>
    TopK = 5,
}
