using StreamMasking.Core.Policy.Yaml;

namespace StreamMasking.Core.Policy;

/// <summary>Collects every diagnostic of one policy load (validation never stops at the first error).</summary>
internal sealed class PolicyDiagnosticBag(string file)
{
    private readonly List<PolicyDiagnostic> _items = [];

    public string File { get; } = file;

    public int Count => _items.Count;

    public void Add(int line, int column, string path, string message) =>
        _items.Add(new PolicyDiagnostic(File, line, column, path, message));

    public void Add(YNode node, string path, string message) => Add(node.Line, node.Column, path, message);

    /// <summary>Diagnostics in document order (stable for equal positions).</summary>
    public IReadOnlyList<PolicyDiagnostic> ToList() =>
        [.. _items.Select((d, i) => (d, i)).OrderBy(x => x.d.Line).ThenBy(x => x.d.Column).ThenBy(x => x.i).Select(x => x.d)];
}
