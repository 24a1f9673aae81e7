using System.Globalization;
using StreamMasking.Core.Policy.Yaml;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>Typed reads of YAML values; each failure adds one diagnostic naming what was expected.</summary>
internal static class YamlValues
{
    public static YMapping? Mapping(YNode node, string path, PolicyDiagnosticBag bag)
    {
        if (node is YMapping m)
        {
            return m;
        }

        bag.Add(node, path, $"must be a mapping, found {node.KindName}");
        return null;
    }

    public static YSequence? Sequence(YNode node, string path, PolicyDiagnosticBag bag)
    {
        if (node is YSequence s)
        {
            return s;
        }

        bag.Add(node, path, $"must be a list, found {node.KindName}");
        return null;
    }

    public static string? Text(YNode node, string path, PolicyDiagnosticBag bag)
    {
        if (node is YScalar { IsNull: false } s)
        {
            if (s.Value.Length == 0)
            {
                bag.Add(node, path, "must not be empty");
                return null;
            }

            return s.Value;
        }

        bag.Add(node, path, $"must be a text value, found {node.KindName}");
        return null;
    }

    public static bool? Boolean(YNode node, string path, PolicyDiagnosticBag bag)
    {
        if (node is YScalar { IsPlain: true } s)
        {
            switch (s.Value)
            {
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
            }
        }

        bag.Add(node, path, "must be true or false");
        return null;
    }

    public static int? Integer(YNode node, string path, PolicyDiagnosticBag bag, int minimum)
    {
        if (node is YScalar { IsPlain: true } s
            && int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= minimum)
            {
                return value;
            }

            bag.Add(node, path, minimum == 1 ? "must be a positive whole number" : $"must be a whole number >= {minimum}");
            return null;
        }

        bag.Add(node, path, minimum == 1 ? "must be a positive whole number" : $"must be a whole number >= {minimum}");
        return null;
    }

    public static decimal? PositiveDecimal(YNode node, string path, PolicyDiagnosticBag bag)
    {
        if (node is YScalar { IsPlain: true } s
            && decimal.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value > 0)
        {
            return value;
        }

        bag.Add(node, path, "must be a positive number");
        return null;
    }

    /// <summary>One of <paramref name="names"/> (exact, lower-case); returns its index.</summary>
    public static int? OneOf(YNode node, string path, PolicyDiagnosticBag bag, params string[] names)
    {
        if (node is YScalar { IsNull: false } s)
        {
            var index = Array.IndexOf(names, s.Value);
            if (index >= 0)
            {
                return index;
            }

            bag.Add(node, path, $"'{s.Value}' is not valid; expected one of: {string.Join(", ", names)}");
            return null;
        }

        bag.Add(node, path, $"must be one of: {string.Join(", ", names)}; found {node.KindName}");
        return null;
    }

    /// <summary>Exactly one user-perceived character (a grapheme cluster), e.g. <c>*</c> or <c>•</c>.</summary>
    public static string? SingleCharacter(YNode node, string path, PolicyDiagnosticBag bag)
    {
        if (node is YScalar { IsNull: false } s && s.Value.Length > 0
            && StringInfo.GetNextTextElementLength(s.Value) == s.Value.Length
            && !char.IsControl(s.Value[0]))
        {
            return s.Value;
        }

        bag.Add(node, path, "must be exactly one character");
        return null;
    }
}
