using StreamMasking.Core.Policy.Actions;

namespace StreamMasking.Core.Policy;

/// <summary>The effective action on one field of a segment (explicit path rules win over tag rules).</summary>
/// <param name="Path">The field.</param>
/// <param name="Action">What happens to it.</param>
/// <param name="Source">Whether it was named by path or selected by a schema tag.</param>
/// <param name="Tag">The schema tag that selected it, when <paramref name="Source"/> is <see cref="FieldRuleSource.Tag"/>.</param>
public sealed record FieldRule(FieldPath Path, FieldAction Action, FieldRuleSource Source, string? Tag);
