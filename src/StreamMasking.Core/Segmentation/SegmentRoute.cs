using StreamMasking.Core.Policy;

namespace StreamMasking.Core.Segmentation;

/// <summary>The routing decision for one record: the matched segment, or unmatched (fail closed: dead-letter).</summary>
public readonly record struct SegmentRoute
{
    private SegmentRoute(SegmentPolicy? segment) => Segment = segment;

    /// <summary>The route of a record no segment accepts.</summary>
    public static SegmentRoute Unmatched => default;

    /// <summary>The matched segment, or null when unmatched.</summary>
    public SegmentPolicy? Segment { get; }

    /// <summary>True when a segment matched.</summary>
    public bool IsMatched => Segment is not null;

    /// <summary>A route to <paramref name="segment"/>.</summary>
    public static SegmentRoute Matched(SegmentPolicy segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return new SegmentRoute(segment);
    }

    /// <inheritdoc />
    public override string ToString() => Segment is null ? "Unmatched" : $"Matched({Segment.Name})";
}
