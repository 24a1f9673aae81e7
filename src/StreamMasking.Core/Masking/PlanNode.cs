using StreamMasking.Core.Masking.Operations;

namespace StreamMasking.Core.Masking;

/// <summary>
/// One property in a segment's compiled field tree: either a leaf with an operation, or an object whose named
/// children are visited. Built once per segment; read-only afterwards.
/// </summary>
internal sealed class PlanNode(string name, string path, FieldOperation? operation, PlanNode[] children)
{
    public string Name { get; } = name;

    /// <summary>The dotted policy path, reported when this node fails.</summary>
    public string Path { get; } = path;

    public FieldOperation? Operation { get; } = operation;

    public PlanNode[] Children { get; } = children;
}
