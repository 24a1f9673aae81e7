using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Yaml;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>Parses the event-level DP actions <c>laplace</c>, <c>gaussian</c> and <c>randomized-response</c>.</summary>
internal static class NoiseActionParser
{
    public static readonly string[] NumericKeys = ["action", "epsilon", "delta", "clamp"];
    public static readonly string[] ResponseKeys = ["action", "epsilon", "permanentEpsilon", "categories"];

    public static FieldAction? Parse(string name, YMapping mapping, string path, PolicyDiagnosticBag bag) => name switch
    {
        "laplace" or "gaussian" => ParseNumeric(name, new MappingReader(mapping, path, bag, NumericKeys), bag),
        _ => ParseResponse(new MappingReader(mapping, path, bag, ResponseKeys), bag),
    };

    private static FieldAction? ParseNumeric(string name, MappingReader reader, PolicyDiagnosticBag bag)
    {
        var before = bag.Count;
        var epsilonNode = reader.Require("epsilon");
        var epsilon = epsilonNode is null ? null : DpValues.Epsilon(epsilonNode, reader.ChildPath("epsilon"), bag);
        var clampNode = reader.Get("clamp");
        if (clampNode is null)
        {
            bag.Add(reader.Node, reader.Path, $"{name} needs 'clamp' bounds {{ min, max }}: the sensitivity is max - min");
        }

        var clamp = clampNode is null ? null : DpValues.Clamp(clampNode, reader.ChildPath("clamp"), bag);
        Delta? delta = null;
        if (reader.Get("delta") is { } deltaNode)
        {
            delta = DpValues.Delta(deltaNode, reader.ChildPath("delta"), bag);
            if (delta is { } d && name == "laplace" && d.Value != 0)
            {
                bag.Add(deltaNode, reader.ChildPath("delta"), "laplace noise is pure epsilon-DP: delta must be 0 (omit it)");
            }
            else if (delta is { } g && name == "gaussian" && g.Value == 0)
            {
                bag.Add(deltaNode, reader.ChildPath("delta"), "gaussian noise needs delta > 0");
            }
        }
        else if (name == "gaussian")
        {
            bag.Add(reader.Node, reader.Path, "gaussian noise needs 'delta' (0 < delta < 1)");
        }

        if (bag.Count != before || epsilon is null || clamp is null)
        {
            return null;
        }

        return name == "laplace"
            ? new LaplaceAction(epsilon.Value, clamp.Value)
            : new GaussianAction(epsilon.Value, delta!.Value, clamp.Value);
    }

    private static RandomizedResponseAction? ParseResponse(MappingReader reader, PolicyDiagnosticBag bag)
    {
        var epsilonNode = reader.Require("epsilon");
        var epsilon = epsilonNode is null ? null : DpValues.Epsilon(epsilonNode, reader.ChildPath("epsilon"), bag);
        IReadOnlyList<string>? categories = null;
        var ok = true;
        if (reader.Get("categories") is { } categoriesNode)
        {
            categories = Categories(categoriesNode, reader.ChildPath("categories"), bag, minimum: 2);
            ok = categories is not null;
        }

        Epsilon? permanent = null;
        if (reader.Get("permanentEpsilon") is { } permanentNode)
        {
            permanent = DpValues.Epsilon(permanentNode, reader.ChildPath("permanentEpsilon"), bag);
            ok &= permanent is not null;
        }

        return epsilon is null || !ok ? null : new RandomizedResponseAction(epsilon.Value, categories) { PermanentEpsilon = permanent };
    }

    /// <summary>A list of unique, non-empty text values with at least <paramref name="minimum"/> entries.</summary>
    public static IReadOnlyList<string>? Categories(YNode node, string path, PolicyDiagnosticBag bag, int minimum)
    {
        var sequence = YamlValues.Sequence(node, path, bag);
        if (sequence is null)
        {
            return null;
        }

        var before = bag.Count;
        var values = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemPath = PolicyPath.Index(path, i);
            var text = YamlValues.Text(sequence.Items[i], itemPath, bag);
            if (text is null)
            {
                continue;
            }

            if (seen.TryGetValue(text, out var first))
            {
                bag.Add(sequence.Items[i], itemPath, $"duplicate category '{text}' (first at index {first})");
                continue;
            }

            seen[text] = i;
            values.Add(text);
        }

        if (bag.Count != before)
        {
            return null;
        }

        if (values.Count < minimum)
        {
            bag.Add(node, path, minimum == 1 ? "must declare at least one category" : $"must declare at least {minimum} categories");
            return null;
        }

        return values;
    }
}
