namespace StreamMasking.Core.Windowing;

/// <summary>
/// The value one record contributes to one aggregate, extracted by the runtime from the aggregate's field:
/// a number (sum, mean), a domain index (histogram, top-k) or nothing (count, or the field was missing).
/// A value type so the per-record path allocates nothing.
/// </summary>
public readonly record struct AggregateInput
{
    private AggregateInput(bool present, double number, int category)
    {
        IsPresent = present;
        Number = number;
        Category = category;
    }

    /// <summary>No value: counts still count the record; sums, means, histograms and top-k skip it.</summary>
    public static AggregateInput Missing => default;

    /// <summary>Whether the record carries a usable value for the aggregate.</summary>
    public bool IsPresent { get; }

    /// <summary>The numeric value (sum, mean); clamped by the accumulator.</summary>
    public double Number { get; }

    /// <summary>Index into the declared domain (histogram, top-k); −1 when the value is outside the domain.</summary>
    public int Category { get; }

    /// <summary>A numeric value (NaN and infinities are treated as missing).</summary>
    public static AggregateInput FromNumber(double value) =>
        double.IsFinite(value) ? new(true, value, -1) : Missing;

    /// <summary>A category, as its index in the declared domain (−1 for out-of-domain, which is ignored).</summary>
    public static AggregateInput FromCategory(int domainIndex) => new(domainIndex >= 0, 0, domainIndex);

    /// <summary>A present value for a count (no payload).</summary>
    public static AggregateInput Present => new(true, 0, -1);
}
