using System.Text.Json.Nodes;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// What the mask stage must track for one segment that declares a window: its aggregates (if any), its privacy unit
/// and per-window cap (if any), and how late records are handled. Built once per policy.
/// </summary>
internal sealed class WindowedSegment
{
    private readonly byte[] _unitKey;

    private WindowedSegment(SegmentPolicy policy, SegmentAggregationSpec? spec, WindowSpec window, byte[] unitKey)
    {
        Policy = policy;
        Spec = spec;
        Window = window;
        _unitKey = unitKey;
        EventCharge = DpCosts.EventLifetimeCharge(policy);
    }

    /// <summary>Segment name.</summary>
    internal string Name => Policy.Name;

    /// <summary>The segment's policy.</summary>
    internal SegmentPolicy Policy { get; }

    /// <summary>The aggregation spec; null when the segment only caps units.</summary>
    internal SegmentAggregationSpec? Spec { get; }

    /// <summary>The window shape.</summary>
    internal WindowSpec Window { get; }

    /// <summary>The privacy unit and its cap, or null.</summary>
    internal PrivacyUnitPolicy? Unit => Policy.Privacy.Unit;

    /// <summary>
    /// What each published event of a unit is charged to its lifetime cap (<see cref="EventLifetime"/>); null when the
    /// segment declares no <c>privacyUnit.lifetime</c> or noises no field (then no lifetime ledger is kept).
    /// </summary>
    internal PrivacyCost? EventCharge { get; }

    /// <summary>The unit's lifetime cap for event-level noise, when <see cref="EventCharge"/> is not null.</summary>
    internal PrivacyCost? EventLifetime => EventCharge is null ? null : Unit?.EventLifetime;

    /// <summary>What happens to records of closed windows.</summary>
    internal LateRecordHandling Late => Policy.Privacy.Window!.Late;

    /// <summary>The segments of <paramref name="policy"/> that need window state (a window plus aggregates or a unit).</summary>
    internal static IReadOnlyList<WindowedSegment> From(PrivacyPolicy policy, ReadOnlySpan<byte> masterSecret)
    {
        var segments = new List<WindowedSegment>();
        foreach (var segment in policy.Segments)
        {
            var privacy = segment.Privacy;
            if (privacy.Window is not { } window || (privacy.Aggregates.Count == 0 && privacy.Unit is null))
            {
                continue;
            }

            var spec = AggregationSpecMapper.Map(segment, policy.Version);
            var windowSpec = spec?.Window ?? new WindowSpec(window.Size, window.Grace, window.IdleClose, maxFutureSkew: window.MaxFutureSkew);
            segments.Add(new WindowedSegment(segment, spec, windowSpec, StateKeys.UnitIdKey(masterSecret, segment.Name)));
        }

        return segments;
    }

    /// <summary>
    /// The record's privacy unit as an opaque id (<see cref="StateKeys.UnitId"/>) of its text as
    /// <see cref="AggregateInputReader.ReadText"/> reads it; null when the field is missing or not a scalar. Raw unit values never reach state, changelogs or logs.
    /// </summary>
    internal byte[]? UnitId(JsonObject body)
    {
        if (Unit is not { } unit || AggregateInputReader.ReadText(body, unit.Field.Text) is not { } text)
        {
            return null;
        }

        return StateKeys.UnitId(_unitKey, text);
    }
}
