namespace StreamMasking.Core.Policy.Actions;

/// <summary>
/// What happens to one field of a record. Immutable and validated; the masking engine compiles each action into an
/// operation once per segment. New actions (for example DP noise) are added as new subclasses plus a parser entry.
/// </summary>
public abstract record FieldAction
{
    /// <summary>The policy keyword of the action (<c>drop</c>, <c>keep</c>, <c>tokenize</c>, <c>generalize</c>, <c>partial</c>).</summary>
    public abstract string Name { get; }

    /// <summary>A one-line human description, e.g. <c>generalize: bucket width 10 as range</c>. Contains policy text only.</summary>
    public abstract string Describe();
}
