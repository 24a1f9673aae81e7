using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Matching;
using StreamMasking.Core.Policy.Parsing;
using StreamMasking.Core.Records;

namespace StreamMasking.Core.Segmentation;

/// <summary>One compiled predicate: the subject lookup and the comparison are fixed at compile time.</summary>
internal sealed class PredicateMatcher : RecordMatcher
{
    private readonly MatchSubject _subject;
    private readonly string _header;
    private readonly string[] _path;
    private readonly MatchOperator _operator;
    private readonly string _operand;
    private readonly HashSet<string>? _set;
    private readonly Regex? _regex;
    private readonly bool _exists;

    public PredicateMatcher(PredicateCondition condition)
    {
        _subject = condition.Subject;
        _header = condition.Name;
        _path = condition.Subject == MatchSubject.Field && FieldPath.TryParse(condition.Name, out var path)
            ? [.. path!.Segments]
            : [];
        _operator = condition.Operator;
        _operand = condition.Values[0];
        _set = condition.Operator == MatchOperator.In ? new HashSet<string>(condition.Values, StringComparer.Ordinal) : null;
        _regex = condition.Operator == MatchOperator.Regex
            ? new Regex(MatchParser.Anchor(_operand), MatchParser.RegexCompileOptions)
            : null;
        _exists = _operand == "true";
    }

    public override bool Matches(RecordEnvelope record)
    {
        var present = TryGetSubject(record, out var text);
        if (_operator == MatchOperator.Exists)
        {
            return present == _exists;
        }

        if (!present || text is null)
        {
            return false;
        }

        return _operator switch
        {
            MatchOperator.Equals => string.Equals(text, _operand, StringComparison.Ordinal),
            MatchOperator.In => _set!.Contains(text),
            MatchOperator.Prefix => text.StartsWith(_operand, StringComparison.Ordinal),
            _ => _regex!.IsMatch(text),
        };
    }

    /// <summary>
    /// Presence and text of the subject. A field is present when it exists and is not JSON null; objects and arrays are
    /// present but have no text (so only 'exists' can match them).
    /// </summary>
    internal bool TryGetSubject(RecordEnvelope record, out string? text)
    {
        text = null;
        switch (_subject)
        {
            case MatchSubject.Topic:
                text = record.Topic;
                return true;
            case MatchSubject.Header:
                if (record.Headers.TryGetValue(_header, out var header))
                {
                    text = header;
                    return true;
                }

                return false;
            default:
                JsonNode? node = record.Body;
                foreach (var name in _path)
                {
                    if (node is not JsonObject obj || !obj.TryGetPropertyValue(name, out node))
                    {
                        return false;
                    }
                }

                if (node is null)
                {
                    return false;
                }

                text = JsonScalars.TryGetText(node, out var t) ? t : null;
                return true;
        }
    }
}
