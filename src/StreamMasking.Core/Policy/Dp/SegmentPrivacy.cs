namespace StreamMasking.Core.Policy.Dp;

/// <summary>The DP declarations of one segment beyond its field actions. All parts are optional; validated together.</summary>
/// <param name="Unit">The privacy unit and its per-window cap, or null.</param>
/// <param name="Window">Tumbling windows, or null.</param>
/// <param name="Budget">The window-release budget, or null.</param>
/// <param name="Aggregates">Window aggregates in declared order (empty when none).</param>
public sealed record SegmentPrivacy(
    PrivacyUnitPolicy? Unit,
    WindowPolicy? Window,
    BudgetPolicy? Budget,
    IReadOnlyList<AggregatePolicy> Aggregates)
{
    /// <summary>No DP declarations.</summary>
    public static SegmentPrivacy None { get; } = new(null, null, null, []);
}
