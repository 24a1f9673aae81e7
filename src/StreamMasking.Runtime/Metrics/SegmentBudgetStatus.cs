namespace StreamMasking.Runtime.Metrics;

/// <summary>
/// The live privacy state of one segment on this instance: its committed budget ledger, releases and suppressions.
/// Budget figures and counts only; never a record, a key, a released value or a noise value.
/// </summary>
/// <param name="Segment">Segment name.</param>
/// <param name="Accountant">Cost kind of the caps: <c>pure</c>, <c>approximate</c> or <c>zcdp</c>; null before the first release.</param>
/// <param name="Lifetime">The lifetime scope, or null before the first release.</param>
/// <param name="Window">The latest charged window, or null before the first release.</param>
/// <param name="Releases">Aggregate releases committed by this process.</param>
/// <param name="SuppressionsByReason">Suppressed releases per reason code.</param>
/// <param name="Exhausted">Whether the lifetime budget is spent (nothing more can be released).</param>
/// <param name="SecondsToExhaustion">Time until the lifetime cap at the rate observed by this process, or null when unknown.</param>
public sealed record SegmentBudgetStatus(
    string Segment,
    string? Accountant,
    BudgetScopeStatus? Lifetime,
    BudgetScopeStatus? Window,
    long Releases,
    IReadOnlyDictionary<string, long> SuppressionsByReason,
    bool Exhausted,
    double? SecondsToExhaustion);
