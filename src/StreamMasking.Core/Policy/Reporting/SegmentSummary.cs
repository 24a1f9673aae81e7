namespace StreamMasking.Core.Policy.Reporting;

/// <summary>What a segment does, for display (policy text only, never record data).</summary>
/// <param name="Name">Segment name.</param>
/// <param name="MaskedTopic">Its masked output topic.</param>
/// <param name="Match">The match rule in one line.</param>
/// <param name="Fields">Each effective field rule: path, action description and where it came from.</param>
/// <param name="ActionCounts">Number of fields per action keyword, in a stable order.</param>
public sealed record SegmentSummary(
    string Name,
    string MaskedTopic,
    string Match,
    IReadOnlyList<FieldSummary> Fields,
    IReadOnlyDictionary<string, int> ActionCounts);
