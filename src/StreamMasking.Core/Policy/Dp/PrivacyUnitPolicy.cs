namespace StreamMasking.Core.Policy.Dp;

/// <summary>
/// The person (or other entity) privacy is promised to, per segment: the field identifying it and how many of its
/// events per window may carry noised fields. The cap is what makes the per-unit, per-window loss finite.
/// </summary>
/// <param name="Field">Path of the field holding the unit id (e.g. <c>patient.id</c>).</param>
/// <param name="MaxEventsPerWindow">Events per unit per window whose noised fields are published (≥ 1).</param>
/// <param name="OverCap">What happens to the unit's further events in that window.</param>
public sealed record PrivacyUnitPolicy(FieldPath Field, int MaxEventsPerWindow, OverCapBehavior OverCap);
