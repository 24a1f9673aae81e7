using System.Globalization;

namespace StreamMasking.Core.Records;

/// <summary>
/// Where a record was consumed from. Event-level noise is keyed by these coordinates (and the field), so re-processing
/// the same record after a crash or an offset reset yields the same noise instead of a fresh draw that could be averaged.
/// </summary>
/// <param name="Topic">Source topic.</param>
/// <param name="Partition">Source partition (≥ 0).</param>
/// <param name="Offset">Source offset (≥ 0).</param>
public readonly record struct RecordCoordinates(string Topic, int Partition, long Offset)
{
    /// <summary><c>topic/partition@offset</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Topic}/{Partition}@{Offset}");
}
