namespace StreamMasking.Core.Policy.Yaml;

/// <summary>A scalar. <see cref="IsPlain"/> distinguishes <c>10</c> (may be a number) from <c>"10"</c> (always a string).</summary>
internal sealed class YScalar(string value, bool isPlain, int line, int column) : YNode(line, column)
{
    public string Value { get; } = value;

    public bool IsPlain { get; } = isPlain;

    /// <summary>True for an empty plain scalar or <c>~</c>/<c>null</c>: YAML's null.</summary>
    public bool IsNull => IsPlain && (Value.Length == 0 || Value is "~" or "null" or "Null" or "NULL");

    public override long ExpandedSize => 1;

    public override string KindName => IsNull ? "null" : "a scalar";
}
