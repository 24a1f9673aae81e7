using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Policy.Yaml;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>Parses a segment's <c>aggregates</c> list; checks each entry on its own and names unique.</summary>
internal static class AggregateParser
{
    /// <summary>Largest <c>windowsPerUnit</c>: the counter's cost grows with it (ε·W, ρ·W²).</summary>
    private const int MaxWindowsPerUnit = 100_000;

    private static readonly string[] Keys =
        ["name", "kind", "field", "clamp", "domain", "k", "maxContributionsPerUnit", "epsilon", "delta", "noise", "continual", "windowsPerUnit", "postProcess"];

    private static readonly string[] PostProcessNames = ["integer", "clampNonNegative"];

    private static readonly string[] Kinds = ["count", "sum", "mean", "histogram", "top-k"];

    /// <summary>The parsed aggregates with the node of each (for later cross-checks), or null after diagnostics.</summary>
    public static List<(AggregatePolicy Aggregate, YMapping Node, string Path)>? Parse(YNode node, string path, PolicyDiagnosticBag bag)
    {
        var sequence = YamlValues.Sequence(node, path, bag);
        if (sequence is null)
        {
            return null;
        }

        var before = bag.Count;
        var result = new List<(AggregatePolicy, YMapping, string)>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemPath = PolicyPath.Index(path, i);
            if (YamlValues.Mapping(sequence.Items[i], itemPath, bag) is not { } mapping)
            {
                continue;
            }

            var reader = new MappingReader(mapping, itemPath, bag, Keys);
            var aggregate = ParseOne(reader, bag);
            if (aggregate is null)
            {
                continue;
            }

            if (names.TryGetValue(aggregate.Name, out var first))
            {
                bag.Add(reader.Get("name")!, reader.ChildPath("name"), $"duplicate aggregate name '{aggregate.Name}' (first at index {first})");
                continue;
            }

            names[aggregate.Name] = i;
            result.Add((aggregate, mapping, itemPath));
        }

        if (sequence.Items.Count == 0)
        {
            bag.Add(node, path, "must declare at least one aggregate (or omit 'aggregates')");
        }

        return bag.Count == before ? result : null;
    }

    private static AggregatePolicy? ParseOne(MappingReader reader, PolicyDiagnosticBag bag)
    {
        var before = bag.Count;
        var nameNode = reader.Require("name");
        var name = nameNode is null ? null : YamlValues.Text(nameNode, reader.ChildPath("name"), bag);
        if (name is not null && !TopicNames.IsSafe(name))
        {
            bag.Add(nameNode!, reader.ChildPath("name"), $"aggregate name '{name}' may use only letters, digits, '.', '_' and '-'");
        }

        var kindNode = reader.Require("kind");
        var kindIndex = kindNode is null ? null : YamlValues.OneOf(kindNode, reader.ChildPath("kind"), bag, Kinds);
        if (kindIndex is null)
        {
            return null;
        }

        var kind = (AggregateQuery)kindIndex.Value;
        var kindName = Kinds[kindIndex.Value];
        var field = ParseField(reader, kind, kindName, bag);
        var clamp = ParseClamp(reader, kind, kindName, bag);
        var domain = ParseDomain(reader, kind, kindName, bag);
        var k = 1;
        if (reader.Get("k") is { } kNode)
        {
            if (kind != AggregateQuery.TopK)
            {
                bag.Add(reader.KeyNode("k")!, reader.ChildPath("k"), "'k' applies only to kind top-k");
            }
            else if (YamlValues.Integer(kNode, reader.ChildPath("k"), bag, minimum: 1) is { } kValue)
            {
                k = kValue;
                if (domain is not null && k > domain.Count)
                {
                    bag.Add(kNode, reader.ChildPath("k"), $"k {k} is larger than the {domain.Count} declared categories");
                }
            }
        }

        var contributions = reader.Get("maxContributionsPerUnit") is { } cNode
            ? YamlValues.Integer(cNode, reader.ChildPath("maxContributionsPerUnit"), bag, minimum: 1)
            : 1;
        var noise = ParseNoise(reader, kind, bag);
        var continual = reader.Get("continual") is { } contNode ? YamlValues.Boolean(contNode, reader.ChildPath("continual"), bag) : false;
        if (continual == true && kind is not (AggregateQuery.Count or AggregateQuery.Sum))
        {
            bag.Add(reader.Get("continual")!, reader.ChildPath("continual"), "continual release applies only to kinds count and sum");
        }

        int? windowsPerUnit = 1;
        if (reader.Get("windowsPerUnit") is { } wNode)
        {
            windowsPerUnit = YamlValues.Integer(wNode, reader.ChildPath("windowsPerUnit"), bag, minimum: 1);
            if (continual != true)
            {
                bag.Add(wNode, reader.ChildPath("windowsPerUnit"), "windowsPerUnit applies only to continual aggregates (continual: true)");
            }
            else if (windowsPerUnit > MaxWindowsPerUnit)
            {
                bag.Add(wNode, reader.ChildPath("windowsPerUnit"), $"windowsPerUnit must be at most {MaxWindowsPerUnit}");
            }
        }

        var postProcess = ParsePostProcess(reader, kind, kindName, clamp, bag);
        if (bag.Count != before || name is null || noise is null || contributions is null || continual is null || windowsPerUnit is null)
        {
            return null;
        }

        return new AggregatePolicy
        {
            Name = name,
            Kind = kind,
            Field = field,
            Clamp = clamp,
            Domain = domain ?? [],
            K = k,
            MaxContributionsPerUnit = contributions.Value,
            Noise = noise,
            Continual = continual.Value,
            WindowsPerUnit = windowsPerUnit.Value,
            PostProcess = postProcess,
        };
    }

    // Post-processing of the noisy values only (free): a scalar keyword or a list of them.
    private static Windowing.ReleasePostProcessing ParsePostProcess(
        MappingReader reader, AggregateQuery kind, string kindName, ClampBounds? clamp, PolicyDiagnosticBag bag)
    {
        var processing = Windowing.ReleasePostProcessing.None;
        if (reader.Get("postProcess") is not { } node)
        {
            return processing;
        }

        var path = reader.ChildPath("postProcess");
        if (kind is not (AggregateQuery.Count or AggregateQuery.Sum or AggregateQuery.Histogram))
        {
            bag.Add(reader.KeyNode("postProcess")!, path, $"'postProcess' applies to kinds count, sum and histogram, not {kindName}");
            return processing;
        }

        var items = node is YSequence sequence ? sequence.Items : [node];
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = node is YSequence ? PolicyPath.Index(path, i) : path;
            if (YamlValues.OneOf(items[i], itemPath, bag, PostProcessNames) is not { } index)
            {
                continue;
            }

            if (index == 0 && kind == AggregateQuery.Sum && clamp is { } c && (Math.Floor(c.Lower) != c.Lower || Math.Floor(c.Upper) != c.Upper))
            {
                bag.Add(items[i], itemPath, "'integer' on a sum needs integer clamp bounds (the field must hold integers)");
            }

            if (index == 1 && kind == AggregateQuery.Sum && clamp is { Lower: < 0 })
            {
                bag.Add(items[i], itemPath, "'clampNonNegative' on a sum needs clamp min >= 0 (the true sum could be negative)");
            }

            processing |= index == 0 ? Windowing.ReleasePostProcessing.IntegerLattice : Windowing.ReleasePostProcessing.ClampNonNegative;
        }

        return processing;
    }

    private static FieldPath? ParseField(MappingReader reader, AggregateQuery kind, string kindName, PolicyDiagnosticBag bag)
    {
        var node = reader.Get("field");
        if (kind == AggregateQuery.Count)
        {
            if (node is not null)
            {
                bag.Add(reader.KeyNode("field")!, reader.ChildPath("field"), "kind count reads no field");
            }

            return null;
        }

        if (node is null)
        {
            bag.Add(reader.Node, reader.Path, $"kind {kindName} needs 'field'");
            return null;
        }

        var text = YamlValues.Text(node, reader.ChildPath("field"), bag);
        if (text is null)
        {
            return null;
        }

        if (!FieldPath.TryParse(text, out var path))
        {
            bag.Add(node, reader.ChildPath("field"), $"'{text}' is not a valid field path (dotted names, no empty parts)");
        }

        return path;
    }

    private static ClampBounds? ParseClamp(MappingReader reader, AggregateQuery kind, string kindName, PolicyDiagnosticBag bag)
    {
        var node = reader.Get("clamp");
        var needs = kind is AggregateQuery.Sum or AggregateQuery.Mean;
        if (node is null)
        {
            if (needs)
            {
                bag.Add(reader.Node, reader.Path, $"kind {kindName} needs 'clamp' bounds {{ min, max }}");
            }

            return null;
        }

        if (!needs)
        {
            bag.Add(reader.KeyNode("clamp")!, reader.ChildPath("clamp"), $"'clamp' does not apply to kind {kindName}");
            return null;
        }

        return DpValues.Clamp(node, reader.ChildPath("clamp"), bag);
    }

    private static IReadOnlyList<string>? ParseDomain(MappingReader reader, AggregateQuery kind, string kindName, PolicyDiagnosticBag bag)
    {
        var node = reader.Get("domain");
        var needs = kind is AggregateQuery.Histogram or AggregateQuery.TopK;
        if (node is null)
        {
            if (needs)
            {
                bag.Add(reader.Node, reader.Path, $"kind {kindName} needs a declared 'domain' (list of categories)");
            }

            return null;
        }

        if (!needs)
        {
            bag.Add(reader.KeyNode("domain")!, reader.ChildPath("domain"), $"'domain' does not apply to kind {kindName}");
            return null;
        }

        return NoiseActionParser.Categories(node, reader.ChildPath("domain"), bag, minimum: 1);
    }

    private static NoiseParameters? ParseNoise(MappingReader reader, AggregateQuery kind, PolicyDiagnosticBag bag)
    {
        var epsilonNode = reader.Require("epsilon");
        var epsilon = epsilonNode is null ? null : DpValues.Epsilon(epsilonNode, reader.ChildPath("epsilon"), bag);
        var kindIndex = reader.Get("noise") is { } noiseNode ? YamlValues.OneOf(noiseNode, reader.ChildPath("noise"), bag, "laplace", "gaussian") : 0;
        var deltaNode = reader.Get("delta");
        var delta = deltaNode is null ? Delta.Zero : DpValues.Delta(deltaNode, reader.ChildPath("delta"), bag);
        if (epsilon is null || kindIndex is null || delta is null)
        {
            return null;
        }

        if (kindIndex == 1)
        {
            if (kind == AggregateQuery.TopK)
            {
                bag.Add(reader.Get("noise")!, reader.ChildPath("noise"), "top-k selects with the exponential mechanism (pure epsilon): use noise laplace");
                return null;
            }

            if (delta.Value.Value == 0)
            {
                bag.Add(deltaNode ?? (YNode)reader.Node, deltaNode is null ? reader.Path : reader.ChildPath("delta"), "gaussian noise needs delta > 0");
                return null;
            }

            return NoiseParameters.Gaussian(epsilon.Value.Value, delta.Value.Value);
        }

        if (delta.Value.Value != 0)
        {
            bag.Add(deltaNode!, reader.ChildPath("delta"), "laplace noise is pure epsilon-DP: delta must be 0 (omit it)");
            return null;
        }

        return NoiseParameters.Laplace(epsilon.Value.Value);
    }
}
