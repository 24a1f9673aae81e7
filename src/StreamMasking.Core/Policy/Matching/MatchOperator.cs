namespace StreamMasking.Core.Policy.Matching;

/// <summary>How a predicate compares the subject's text (always ordinal, case-sensitive).</summary>
public enum MatchOperator
{
    /// <summary>Text equals the value.</summary>
    Equals,

    /// <summary>Text equals one of the values.</summary>
    In,

    /// <summary>Text starts with the value.</summary>
    Prefix,

    /// <summary>The whole text matches the regular expression (implicitly anchored at both ends).</summary>
    Regex,

    /// <summary>The subject is present (and, for fields, not JSON null) — or absent when the value is false.</summary>
    Exists,
}
