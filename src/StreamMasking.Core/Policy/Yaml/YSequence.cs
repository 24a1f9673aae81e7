namespace StreamMasking.Core.Policy.Yaml;

/// <summary>A sequence (list).</summary>
internal sealed class YSequence(IReadOnlyList<YNode> items, int line, int column) : YNode(line, column)
{
    public IReadOnlyList<YNode> Items { get; } = items;

    public override long ExpandedSize { get; } = 1 + items.Sum(i => i.ExpandedSize);

    public override string KindName => "a list";
}
