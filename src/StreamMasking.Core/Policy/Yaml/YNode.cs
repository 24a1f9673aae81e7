namespace StreamMasking.Core.Policy.Yaml;

/// <summary>A YAML node with its source position (1-based). Our own tree so duplicate keys survive to validation.</summary>
internal abstract class YNode(int line, int column)
{
    /// <summary>Nodes in this subtree with aliases expanded (guards against alias bombs).</summary>
    public abstract long ExpandedSize { get; }

    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>A short kind name for messages: "a mapping", "a list", "a scalar".</summary>
    public abstract string KindName { get; }
}
