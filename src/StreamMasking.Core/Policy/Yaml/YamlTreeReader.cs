using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace StreamMasking.Core.Policy.Yaml;

/// <summary>
/// Reads one YAML document into a <see cref="YNode"/> tree from YamlDotNet parser events, keeping every node's
/// position and every mapping entry (including duplicates). Syntax errors become one diagnostic at the error's position.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>
    /// Nodes that aliases may add to the document beyond the nodes written in it: more is an alias bomb, not a policy.
    /// Written nodes are bounded by the file size alone, so a policy of many segments is not mistaken for a bomb.
    /// </summary>
    public const long MaxExpandedNodes = 100_000;

    /// <summary>Nesting limit; keeps recursion bounded whatever the input.</summary>
    public const int MaxDepth = 64;

    public static YNode? Read(string text, PolicyDiagnosticBag bag)
    {
        var lastSeen = Mark.Empty;
        try
        {
            var parser = new Parser(new StringReader(text));
            var tracking = new Action<ParsingEvent>(e => lastSeen = e.End);
            var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                bag.Add(1, 1, "", "the policy is empty; expected a mapping with 'version' and 'segments'");
                return null;
            }

            parser.Consume<DocumentStart>();
            long written = 0;
            var root = ReadNode(parser, anchors, bag, tracking, depth: 0, ref written);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                bag.Add(Line(second.Start), Column(second.Start), "", "a policy file holds exactly one YAML document");
            }

            return root;
        }
        catch (YamlException ex)
        {
            bag.Add(Line(ex.Start), Column(ex.Start), "", "YAML syntax error: " + StripMarks(ex.Message));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser throws this (without a position) on some malformed flow collections, e.g. "{ a: b: [] ".
            bag.Add(Line(lastSeen), Column(lastSeen), "", "YAML syntax error: malformed flow mapping or list after this point");
            return null;
        }
    }

    private static YNode? ReadNode(
        IParser parser, Dictionary<string, YNode> anchors, PolicyDiagnosticBag bag, Action<ParsingEvent> track, int depth,
        ref long written)
    {
        var current = parser.Current ?? throw new YamlException("Unexpected end of YAML input.");
        track(current);
        if (depth > MaxDepth)
        {
            throw new YamlException(current.Start, current.End, $"the document is nested deeper than {MaxDepth} levels");
        }

        YNode? node;
        switch (current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (!anchors.TryGetValue(alias.Value.Value, out node))
                {
                    bag.Add(Line(alias.Start), Column(alias.Start), "", $"unknown alias '*{alias.Value.Value}'");
                }

                return node;
            case Scalar scalar:
                parser.MoveNext();
                node = new YScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, Line(scalar.Start), Column(scalar.Start));
                break;
            case SequenceStart start:
                {
                    parser.MoveNext();
                    var items = new List<YNode>();
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        var item = ReadNode(parser, anchors, bag, track, depth + 1, ref written);
                        if (item is not null)
                        {
                            items.Add(item);
                        }
                    }

                    node = new YSequence(items, Line(start.Start), Column(start.Start));
                    break;
                }

            case MappingStart start:
                {
                    parser.MoveNext();
                    var entries = new List<KeyValuePair<YScalar, YNode>>();
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var key = ReadNode(parser, anchors, bag, track, depth + 1, ref written);
                        var value = ReadNode(parser, anchors, bag, track, depth + 1, ref written);
                        if (key is YScalar scalarKey && value is not null)
                        {
                            entries.Add(new(scalarKey, value));
                        }
                        else if (key is not null and not YScalar)
                        {
                            bag.Add(key.Line, key.Column, "", "mapping keys must be plain text");
                        }
                    }

                    node = new YMapping(entries, Line(start.Start), Column(start.Start));
                    break;
                }

            default:
                throw new YamlException(current.Start, current.End, "Unexpected YAML event.");
        }

        // Without aliases a node expands to at most the nodes written so far; what is beyond that came through aliases.
        written++;
        if (node.ExpandedSize > written + MaxExpandedNodes)
        {
            throw new YamlException(current.Start, current.End,
                $"the document expands to more than {MaxExpandedNodes} nodes through aliases");
        }

        if (current is NodeEvent { Anchor.IsEmpty: false } withAnchor)
        {
            anchors[withAnchor.Anchor.Value] = node;
        }

        return node;
    }

    private static int Line(Mark mark) => (int)Math.Max(1, mark.Line);

    private static int Column(Mark mark) => (int)Math.Max(1, mark.Column);

    // YamlException messages start with "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): "; the diagnostic has its own position.
    private static string StripMarks(string message)
    {
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && marker >= 0 ? message[(marker + 3)..] : message;
    }
}
