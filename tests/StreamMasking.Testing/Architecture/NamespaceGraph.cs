using System.Text.RegularExpressions;

namespace StreamMasking.Testing.Architecture;

/// <summary>
/// The namespace dependencies of one source project, read from its files' <c>using</c> directives (folder =
/// namespace), and the cycles among them: a layout test asserts there are none, so a using that closes a cycle fails
/// the build's tests instead of growing a knot.
/// </summary>
public static partial class NamespaceGraph
{
    /// <summary>Edges namespace → namespaces it uses, for the namespaces under <paramref name="rootNamespace"/> in <paramref name="sourceDirectory"/>.</summary>
    public static IReadOnlyDictionary<string, SortedSet<string>> Read(string sourceDirectory, string rootNamespace)
    {
        var edges = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            if (NamespaceLine().Match(text) is not { Success: true } declared || !declared.Groups[1].Value.StartsWith(rootNamespace + ".", StringComparison.Ordinal))
            {
                continue;
            }

            var from = Top(declared.Groups[1].Value, rootNamespace);
            var targets = edges.TryGetValue(from, out var set) ? set : edges[from] = new SortedSet<string>(StringComparer.Ordinal);
            foreach (Match used in UsingLine().Matches(text))
            {
                if (used.Groups[1].Value.StartsWith(rootNamespace + ".", StringComparison.Ordinal) && Top(used.Groups[1].Value, rootNamespace) is var to && to != from)
                {
                    targets.Add(to);
                }
            }
        }

        return edges;
    }

    /// <summary>Every cycle as the namespaces on it (empty when the graph has none).</summary>
    public static IReadOnlyList<string> Cycles(IReadOnlyDictionary<string, SortedSet<string>> edges)
    {
        var cycles = new List<string>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the path, 2 done
        var path = new List<string>();

        void Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in edges.TryGetValue(node, out var targets) ? targets : [])
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    cycles.Add(string.Join(" → ", path.Skip(path.IndexOf(next)).Append(next)));
                }
                else if (state.GetValueOrDefault(next) == 0)
                {
                    Visit(next);
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
        }

        foreach (var node in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(node) == 0)
            {
                Visit(node);
            }
        }

        return cycles;
    }

    // The first namespace segment below the root: Runtime.Audit.Events counts as Audit.
    private static string Top(string ns, string root) => ns[(root.Length + 1)..].Split('.')[0];

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
