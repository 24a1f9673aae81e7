using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Policy.Dp;

/// <summary>
/// The person (or other entity) privacy is promised to, per segment: the field identifying it, how many of its
/// events per window may carry noised fields, and optionally what its event-level noise may cost over its lifetime.
/// The per-window cap makes the per-unit, per-window loss finite; the lifetime cap makes the loss of the masked
/// stream finite over time.
/// </summary>
/// <param name="Field">Path of the field holding the unit id (e.g. <c>patient.id</c>).</param>
/// <param name="MaxEventsPerWindow">Events per unit per window whose noised fields are published (≥ 1).</param>
/// <param name="OverCap">What happens to the unit's further events in that window.</param>
/// <param name="EventLifetime">
/// <c>privacyUnit.lifetime</c>: the most the unit's event-level noise may cost over its lifetime (ε and δ; ρ under
/// accountant zcdp), or null when not declared (then the masked stream's loss is unbounded over time). Once spent, the
/// unit's later events are published without their noised fields.
/// </param>
public sealed record PrivacyUnitPolicy(FieldPath Field, int MaxEventsPerWindow, OverCapBehavior OverCap, PrivacyCost? EventLifetime = null);
