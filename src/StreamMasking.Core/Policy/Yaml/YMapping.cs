namespace StreamMasking.Core.Policy.Yaml;

/// <summary>A mapping whose entries keep declared order and duplicates (validation reports duplicates).</summary>
internal sealed class YMapping(IReadOnlyList<KeyValuePair<YScalar, YNode>> entries, int line, int column) : YNode(line, column)
{
    public IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries { get; } = entries;

    public override long ExpandedSize { get; } = 1 + entries.Sum(e => 1 + e.Value.ExpandedSize);

    public override string KindName => "a mapping";
}
