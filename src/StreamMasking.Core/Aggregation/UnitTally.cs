namespace StreamMasking.Core.Aggregation;

/// <summary>
/// Contributions of one privacy unit to one aggregate in one window: records (count, sum, mean) or distinct keys
/// touched plus records per key (histogram, top-k).
/// </summary>
internal struct UnitTally
{
    public int Count;
    public int[]? PerKey;
}
