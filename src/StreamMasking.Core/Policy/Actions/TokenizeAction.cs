namespace StreamMasking.Core.Policy.Actions;

/// <summary>
/// The value is replaced by a deterministic keyed token: <c>tok_</c> + base64url of the first 16 bytes of
/// HMAC-SHA256(segment key, canonical value). Equal values give equal tokens inside a segment, unrelated tokens across segments.
/// </summary>
public sealed record TokenizeAction : FieldAction
{
    /// <summary>The shared instance.</summary>
    public static TokenizeAction Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "tokenize";

    /// <inheritdoc />
    public override string Describe() => "tokenize (HMAC-SHA256, per-segment key)";
}
