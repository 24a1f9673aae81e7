namespace StreamMasking.Core.Policy.Actions;

/// <summary>The field is copied to the output unchanged (the only way a raw value passes: explicitly allowed).</summary>
public sealed record KeepAction : FieldAction
{
    /// <summary>The shared instance.</summary>
    public static KeepAction Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "keep";

    /// <inheritdoc />
    public override string Describe() => "keep (raw value passes)";
}
