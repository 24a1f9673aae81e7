using System.Text.RegularExpressions;
using StreamMasking.Core.Policy.Matching;
using StreamMasking.Core.Policy.Yaml;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>
/// Parses a match rule: <c>all: [...]</c>, <c>any: [...]</c>, or one predicate with exactly one subject
/// (<c>field: path</c>, <c>header: name</c>, or <c>topic:</c> with no value) and exactly one operator
/// (<c>equals</c>, <c>in</c>, <c>prefix</c>, <c>regex</c>, <c>exists</c>).
/// </summary>
internal static partial class MatchParser
{
    private static readonly string[] Compositions = ["all", "any"];
    private static readonly string[] Subjects = ["field", "header", "topic"];
    private static readonly string[] Operators = ["equals", "in", "prefix", "regex", "exists"];
    private static readonly string[] AllKeys = [.. Compositions, .. Subjects, .. Operators];

    /// <summary>Options every policy regex is compiled with: linear-time matching (no catastrophic backtracking on record data).</summary>
    internal const RegexOptions RegexCompileOptions = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    public static MatchCondition? Parse(YNode node, string path, PolicyDiagnosticBag bag)
    {
        var mapping = YamlValues.Mapping(node, path, bag);
        if (mapping is null)
        {
            return null;
        }

        var reader = new MappingReader(mapping, path, bag, AllKeys);
        var compositions = reader.PresentOf(Compositions);
        var subjects = reader.PresentOf(Subjects);
        var operators = reader.PresentOf(Operators);
        if (compositions.Count > 0)
        {
            var others = compositions.Skip(1).Concat(subjects).Concat(operators).ToList();
            if (others.Count > 0)
            {
                bag.Add(reader.KeyNode(others[0])!, reader.ChildPath(others[0]),
                    $"conflicting selectors '{compositions[0]}' and '{others[0]}': a rule is either one all/any list or one predicate");
                return null;
            }

            return ParseComposition(reader, compositions[0], bag);
        }

        if (subjects.Count != 1)
        {
            return Conflict(reader, bag, subjects, "a subject", "'field', 'header' or 'topic' (or an 'all'/'any' list)");
        }

        if (operators.Count != 1)
        {
            return Conflict(reader, bag, operators, "an operator", "'equals', 'in', 'prefix', 'regex' or 'exists'");
        }

        return ParsePredicate(reader, subjects[0], operators[0], bag);
    }

    private static MatchCondition? Conflict(
        MappingReader reader, PolicyDiagnosticBag bag, IReadOnlyList<string> present, string what, string expected)
    {
        if (present.Count == 0)
        {
            bag.Add(reader.Node, reader.Path, $"missing {what}: one of {expected}");
        }
        else
        {
            bag.Add(reader.KeyNode(present[1])!, reader.ChildPath(present[1]),
                $"conflicting selectors '{present[0]}' and '{present[1]}': a predicate takes exactly {what}");
        }

        return null;
    }

    private static MatchCondition? ParseComposition(MappingReader reader, string kind, PolicyDiagnosticBag bag)
    {
        var listPath = reader.ChildPath(kind);
        var list = YamlValues.Sequence(reader.Get(kind)!, listPath, bag);
        if (list is null)
        {
            return null;
        }

        if (kind == "any" && list.Items.Count == 0)
        {
            bag.Add(list, listPath, "'any' needs at least one rule (use 'all: []' to match every record)");
            return null;
        }

        var children = new List<MatchCondition>();
        var ok = true;
        for (var i = 0; i < list.Items.Count; i++)
        {
            var child = Parse(list.Items[i], PolicyPath.Index(listPath, i), bag);
            ok &= child is not null;
            if (child is not null)
            {
                children.Add(child);
            }
        }

        if (!ok)
        {
            return null;
        }

        if (kind == "any")
        {
            return new AnyCondition(children);
        }

        var all = new AllCondition(children);
        var contradiction = MatchContradictions.Find(all);
        if (contradiction is not null)
        {
            bag.Add(list, listPath, "can never match: " + contradiction);
            return null;
        }

        return all;
    }

    private static PredicateCondition? ParsePredicate(MappingReader reader, string subjectKey, string operatorKey, PolicyDiagnosticBag bag)
    {
        var subjectNode = reader.Get(subjectKey)!;
        var subjectPath = reader.ChildPath(subjectKey);
        string? name;
        MatchSubject subject;
        switch (subjectKey)
        {
            case "field":
                subject = MatchSubject.Field;
                name = YamlValues.Text(subjectNode, subjectPath, bag);
                if (name is not null && !FieldPath.TryParse(name, out _))
                {
                    bag.Add(subjectNode, subjectPath, $"'{name}' is not a valid field path (dotted names, no empty parts)");
                    name = null;
                }

                break;
            case "header":
                subject = MatchSubject.Header;
                name = YamlValues.Text(subjectNode, subjectPath, bag);
                break;
            default:
                subject = MatchSubject.Topic;
                name = "";
                if (subjectNode is not YScalar { IsNull: true })
                {
                    bag.Add(subjectNode, subjectPath,
                        "'topic' takes no value; put the operator beside it, e.g. '- topic:' then 'prefix: visits.' on the next line");
                    name = null;
                }

                break;
        }

        var operandNode = reader.Get(operatorKey)!;
        var operandPath = reader.ChildPath(operatorKey);
        (MatchOperator op, IReadOnlyList<string>? values) = operatorKey switch
        {
            "equals" => (MatchOperator.Equals, One(YamlValues.Text(operandNode, operandPath, bag))),
            "in" => (MatchOperator.In, TextList(operandNode, operandPath, bag)),
            "prefix" => (MatchOperator.Prefix, One(YamlValues.Text(operandNode, operandPath, bag))),
            "regex" => (MatchOperator.Regex, One(Regex(operandNode, operandPath, bag))),
            _ => (MatchOperator.Exists, One(YamlValues.Boolean(operandNode, operandPath, bag) is { } b ? (b ? "true" : "false") : null)),
        };

        if (subject == MatchSubject.Field && values is not null && op is MatchOperator.Equals or MatchOperator.In
            && !NumbersAreCanonical(operandNode, operandPath, bag))
        {
            return null;
        }

        return name is null || values is null ? null : new PredicateCondition(subject, name, op, values);
    }

    /// <summary>
    /// Field values compare by canonical text (the number 42.0 has the text "42"), so an unquoted operand written as a
    /// non-canonical number could never match a JSON number: reject it and name the canonical form.
    /// </summary>
    private static bool NumbersAreCanonical(YNode operand, string path, PolicyDiagnosticBag bag)
    {
        var ok = true;
        var items = operand is YSequence list ? list.Items : [operand];
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is YScalar { IsPlain: true } s && JsonNumber().IsMatch(s.Value))
            {
                var canonical = Records.JsonScalars.CanonicalNumber(s.Value);
                if (canonical != s.Value)
                {
                    bag.Add(s, operand is YSequence ? PolicyPath.Index(path, i) : path,
                        $"the number {s.Value} is compared as its canonical text; write {canonical} (or quote it to compare text)");
                    ok = false;
                }
            }
        }

        return ok;
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();

    private static string[]? One(string? value) => value is null ? null : [value];

    private static string[]? TextList(YNode node, string path, PolicyDiagnosticBag bag)
    {
        var list = YamlValues.Sequence(node, path, bag);
        if (list is null)
        {
            return null;
        }

        if (list.Items.Count == 0)
        {
            bag.Add(list, path, "'in' needs at least one value");
            return null;
        }

        var values = new List<string>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var v = YamlValues.Text(list.Items[i], PolicyPath.Index(path, i), bag);
            if (v is null)
            {
                return null;
            }

            values.Add(v);
        }

        return [.. values];
    }

    private static string? Regex(YNode node, string path, PolicyDiagnosticBag bag)
    {
        var pattern = YamlValues.Text(node, path, bag);
        if (pattern is null)
        {
            return null;
        }

        try
        {
            _ = new Regex(Anchor(pattern), RegexCompileOptions);
            return pattern;
        }
        catch (ArgumentException ex)
        {
            bag.Add(node, path, "invalid regular expression: " + ex.Message);
        }
        catch (NotSupportedException ex)
        {
            bag.Add(node, path, "unsupported regular expression (no backreferences or lookarounds): " + ex.Message);
        }

        return null;
    }

    /// <summary>Policy regexes match the whole text.</summary>
    internal static string Anchor(string pattern) => "^(?:" + pattern + ")$";
}
