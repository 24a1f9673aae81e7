namespace StreamMasking.Core.Policy.Reporting;

/// <summary>One field rule for display.</summary>
/// <param name="Path">Dotted field path.</param>
/// <param name="Action">Action keyword (drop, keep, tokenize, generalize, partial).</param>
/// <param name="Description">What the action does, one line.</param>
/// <param name="Origin"><c>path</c>, or <c>tag X</c> when a schema tag selected the field.</param>
public sealed record FieldSummary(string Path, string Action, string Description, string Origin);
