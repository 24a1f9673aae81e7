using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Policy.Reporting;

/// <summary>One event-level noised field and what one event's release of it costs.</summary>
/// <param name="Path">Field path.</param>
/// <param name="Action">Action keyword.</param>
/// <param name="Cost">Cost per event in the segment accountant's currency.</param>
public sealed record FieldRisk(string Path, string Action, PrivacyCost Cost);
