using StreamMasking.Core.Policy.Yaml;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>
/// Reads one policy mapping: reports duplicate keys and unknown keys on construction, then hands out entries by key.
/// Keys known to belong elsewhere get a message saying where instead of a plain "unknown key".
/// </summary>
internal sealed class MappingReader
{
    private readonly Dictionary<string, KeyValuePair<YScalar, YNode>> _entries = new(StringComparer.Ordinal);
    private readonly PolicyDiagnosticBag _bag;

    public MappingReader(
        YMapping mapping,
        string path,
        PolicyDiagnosticBag bag,
        IReadOnlyCollection<string>? allowed,
        IReadOnlyDictionary<string, string>? reserved = null)
    {
        Node = mapping;
        Path = path;
        _bag = bag;
        foreach (var entry in mapping.Entries)
        {
            var key = entry.Key.Value;
            var childPath = PolicyPath.Key(path, key);
            if (_entries.TryGetValue(key, out var first))
            {
                bag.Add(entry.Key, childPath, $"duplicate key '{key}' (first defined at line {first.Key.Line})");
                continue;
            }

            if (allowed is not null && !allowed.Contains(key))
            {
                var message = reserved is not null && reserved.TryGetValue(key, out var why)
                    ? $"key '{key}' does not belong here: {why}"
                    : $"unknown key '{key}'; expected one of: {string.Join(", ", allowed)}";
                bag.Add(entry.Key, childPath, message);
                continue;
            }

            _entries.Add(key, entry);
        }
    }

    public YMapping Node { get; }

    public string Path { get; }

    public bool Has(string key) => _entries.ContainsKey(key);

    public string ChildPath(string key) => PolicyPath.Key(Path, key);

    public YNode? Get(string key) => _entries.TryGetValue(key, out var entry) ? entry.Value : null;

    public YScalar? KeyNode(string key) => _entries.TryGetValue(key, out var entry) ? entry.Key : null;

    /// <summary>The value of a required key, or null after reporting it missing (at the mapping's position).</summary>
    public YNode? Require(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            _bag.Add(Node, Path, $"missing required key '{key}'");
        }

        return node;
    }

    /// <summary>Keys present among <paramref name="candidates"/>, in the order they appear in the document.</summary>
    public IReadOnlyList<string> PresentOf(params string[] candidates) =>
        [.. Node.Entries.Select(e => e.Key.Value).Where(k => candidates.Contains(k) && _entries.ContainsKey(k)).Distinct()];
}
