using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Policy.Matching;

namespace StreamMasking.Core.Policy;

/// <summary>One micro-segment: its match rule, output topic and effective field rules. Immutable, validated.</summary>
public sealed class SegmentPolicy
{
    internal SegmentPolicy(
        int index, string name, string maskedTopic, MatchCondition match, IReadOnlyList<FieldRule> fields, SegmentPrivacy? privacy = null)
    {
        Privacy = privacy ?? SegmentPrivacy.None;
        Index = index;
        Name = name;
        MaskedTopic = maskedTopic;
        Match = match;
        Fields = fields;
    }

    /// <summary>Position in declared order (0-based); routing tries segments in this order, first match wins.</summary>
    public int Index { get; }

    /// <summary>The segment name: topic-safe (<c>[a-zA-Z0-9._-]</c>), unique in the policy.</summary>
    public string Name { get; }

    /// <summary>The masked output topic of this segment (the policy's pattern with <c>{segment}</c> replaced).</summary>
    public string MaskedTopic { get; }

    /// <summary>The match rule.</summary>
    public MatchCondition Match { get; }

    /// <summary>Effective field rules in declared order: path rules first, then tag-selected fields not named by path.</summary>
    public IReadOnlyList<FieldRule> Fields { get; }

    /// <summary>Privacy unit, window, budget and aggregates (all optional; <see cref="SegmentPrivacy.None"/> when none).</summary>
    public SegmentPrivacy Privacy { get; }

    /// <summary>The format masked records are written in (<c>output</c>); <see cref="OutputFormat.Json"/> unless declared.</summary>
    public OutputFormat Output { get; init; }

    /// <summary>The key of masked records (<c>key</c>); <see cref="OutputKey.None"/> unless declared.</summary>
    public OutputKey Key { get; init; } = OutputKey.None;

    /// <summary>
    /// The segment's own tag actions (its <c>tags</c> map), which override the policy's <see cref="PrivacyPolicy.TagActions"/>;
    /// kept for tags found in Avro writer schemas at run time (see <see cref="Schemas.SchemaTagRules"/>).
    /// </summary>
    public IReadOnlyDictionary<string, Actions.FieldAction> TagActions { get; init; } = new Dictionary<string, Actions.FieldAction>();

    /// <summary>This segment with other effective field rules (same index, name, topic, match, privacy, output and key).</summary>
    internal SegmentPolicy WithFields(IReadOnlyList<FieldRule> fields) =>
        new(Index, Name, MaskedTopic, Match, fields, Privacy) { Output = Output, Key = Key, TagActions = TagActions };

    /// <inheritdoc />
    public override string ToString() => $"Segment({Name})";
}
