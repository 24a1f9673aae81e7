namespace StreamMasking.Core.Policy;

/// <summary>What a segment's masked records are keyed by (<c>key</c> in the policy).</summary>
public enum OutputKeyKind
{
    /// <summary><c>none</c> (the default): masked records carry no key.</summary>
    None,

    /// <summary><c>{ field: path }</c>: the segment token of the field's value (the token <c>tokenize</c> gives it).</summary>
    Field,

    /// <summary><c>input-key</c>: the segment token of the input record's key bytes.</summary>
    InputKey,
}

/// <summary>
/// The key of a segment's masked records. Never a raw value: always the segment's keyed token
/// (<c>tok_…</c>, HMAC-SHA256 under the segment's tokenization key), so that downstream partitioning and compaction work
/// by the same identity that <c>tokenize</c> publishes, joins inside the segment only, and reveals nothing else.
/// </summary>
/// <param name="Kind">What the key is derived from.</param>
/// <param name="Field">The field, for <see cref="OutputKeyKind.Field"/>.</param>
public sealed record OutputKey(OutputKeyKind Kind, FieldPath? Field = null)
{
    /// <summary>No key.</summary>
    public static OutputKey None { get; } = new(OutputKeyKind.None);

    /// <summary>The policy text of this key: <c>none</c>, <c>input-key</c> or <c>{ field: path }</c>.</summary>
    public override string ToString() => Kind switch
    {
        OutputKeyKind.Field => $"{{ field: {Field} }}",
        OutputKeyKind.InputKey => "input-key",
        _ => "none",
    };
}
