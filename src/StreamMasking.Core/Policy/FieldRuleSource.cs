namespace StreamMasking.Core.Policy;

/// <summary>Why a field has its action.</summary>
public enum FieldRuleSource
{
    /// <summary>Named by path in the segment's <c>fields</c>.</summary>
    Path,

    /// <summary>Carries a schema tag whose action the policy (or segment) <c>tags</c> map declares.</summary>
    Tag,
}
