namespace StreamMasking.Core.Policy.Actions;

/// <summary>The field is removed from the output. Same effect as not naming it, but explicit and reviewable.</summary>
public sealed record DropAction : FieldAction
{
    /// <summary>The shared instance.</summary>
    public static DropAction Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "drop";

    /// <inheritdoc />
    public override string Describe() => "drop";
}
