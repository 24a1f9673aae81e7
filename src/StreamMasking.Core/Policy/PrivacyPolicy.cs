using StreamMasking.Core.Policy.Actions;

namespace StreamMasking.Core.Policy;

/// <summary>
/// A validated, immutable privacy policy. Only <see cref="PolicyLoader"/> creates one, and only from a policy without
/// errors: a bad policy never yields a <see cref="PrivacyPolicy"/>.
/// </summary>
public sealed class PrivacyPolicy
{
    internal PrivacyPolicy(
        string version,
        string sourceName,
        string maskedTopicPattern,
        PolicyDefaults defaults,
        IReadOnlyDictionary<string, IReadOnlyList<string>> schemaTags,
        IReadOnlyDictionary<string, FieldAction> tagActions,
        IReadOnlyList<SegmentPolicy> segments)
    {
        Version = version;
        SourceName = sourceName;
        MaskedTopicPattern = maskedTopicPattern;
        Defaults = defaults;
        SchemaTags = schemaTags;
        TagActions = tagActions;
        Segments = segments;
        // Stage mask looks its segment up by name for every record: a scan would cost one comparison per segment.
        _byName = new Dictionary<string, SegmentPolicy>(segments.Count, StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            _byName.TryAdd(segment.Name, segment);
        }
    }

    private readonly Dictionary<string, SegmentPolicy> _byName;

    /// <summary>This policy with other segments (each the same segment with other field rules).</summary>
    internal PrivacyPolicy WithSegments(IReadOnlyList<SegmentPolicy> segments) =>
        new(Version, SourceName, MaskedTopicPattern, Defaults, SchemaTags, TagActions, segments);

    /// <summary>The policy's version string; stamped into every output record's headers.</summary>
    public string Version { get; }

    /// <summary>The file name (or source name) the policy came from.</summary>
    public string SourceName { get; }

    /// <summary>The masked topic name pattern, with the placeholder <c>{segment}</c>. Default <c>masked.{segment}</c>.</summary>
    public string MaskedTopicPattern { get; }

    /// <summary>Policy-wide defaults.</summary>
    public PolicyDefaults Defaults { get; }

    /// <summary>Schema tags per field path (the <c>schema.fields</c> section), e.g. <c>patient.ssn → [PII]</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> SchemaTags { get; }

    /// <summary>Policy-level tag actions (the <c>tags</c> section), e.g. <c>PII → tokenize</c>.</summary>
    public IReadOnlyDictionary<string, FieldAction> TagActions { get; }

    /// <summary>Segments in declared order.</summary>
    public IReadOnlyList<SegmentPolicy> Segments { get; }

    /// <summary>Finds a segment by name (ordinal), or null.</summary>
    public SegmentPolicy? FindSegment(string name)
    {
        return name is null ? null : _byName.GetValueOrDefault(name);
    }

    /// <inheritdoc />
    public override string ToString() => $"PrivacyPolicy({SourceName}, version {Version}, {Segments.Count} segments)";
}
