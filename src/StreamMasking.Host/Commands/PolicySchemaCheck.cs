using Avro;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Schemas;

namespace StreamMasking.Host.Commands;

/// <summary>
/// The schema part of <c>policy validate FILE --schema W.avsc [--previous OLD.yaml]</c>: for each writer schema and
/// each segment (tag-selected fields added first, as the service does), the masked subject, the writer fields the
/// policy does not name (dropped: warnings), the policy paths the schema lacks (warnings), and with a previous policy
/// whether the new masked schema can read records of the previous one (BACKWARD, as the registry checks on
/// registration; a refusal there dead-letters the segment's records). Only <c>output: avro</c> segments register a
/// subject, so only they are compared. Lines are in ordinal order of schema file and segment name.
/// </summary>
internal static class PolicySchemaCheck
{
    /// <summary>The lines to print and how many problems make the command fail (unreadable schema, refusal, derivation failure, break).</summary>
    internal sealed record Result(IReadOnlyList<string> Lines, int Problems, int Breaks);

    internal static Result Run(PrivacyPolicy policy, PrivacyPolicy? previous, IEnumerable<FileInfo> schemaFiles)
    {
        var lines = new List<string>();
        var problems = 0;
        var breaks = 0;
        foreach (var file in schemaFiles.OrderBy(f => f.Name, StringComparer.Ordinal).ThenBy(f => f.FullName, StringComparer.Ordinal))
        {
            var (writer, unreadable) = Read(file);
            if (writer is null)
            {
                lines.Add(file.Name + ": " + unreadable);
                problems++;
                continue;
            }

            lines.Add($"{file.Name}: writer schema {writer.Fullname}");
            var current = Resolve(policy, writer);
            (PrivacyPolicy Policy, IReadOnlyDictionary<string, string> Refused)? earlier = previous is null ? null : Resolve(previous, writer);
            foreach (var segment in current.Policy.Segments.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                lines.Add(segment.Output == OutputFormat.Avro
                    ? $"  {segment.Name} -> subject {segment.MaskedTopic}-value (output avro)"
                    : $"  {segment.Name} -> topic {segment.MaskedTopic} (output json: no subject is registered)");
                if (current.Refused.TryGetValue(segment.Name, out var reason))
                {
                    lines.Add($"    refused: {reason}: records of this schema in this segment are dead-lettered");
                    problems++;
                    continue;
                }

                var (masked, error) = Derive(writer, segment, policy.Version);
                if (masked is null)
                {
                    lines.Add($"    cannot derive the masked schema: {error}");
                    problems++;
                    continue;
                }

                lines.AddRange(masked.UnnamedFields.Order(StringComparer.Ordinal).Select(p => $"    warning: {p}: not named by the policy, dropped"));
                lines.AddRange(masked.MissingFields.Order(StringComparer.Ordinal).Select(p => $"    warning: {p}: named by the policy, not in the schema"));
                if (previous is null || earlier is null)
                {
                    continue;
                }

                var compared = Compare(segment, masked, previous, earlier.Value, writer);
                lines.AddRange(compared.Lines);
                breaks += compared.Breaks;
            }

            if (previous is not null)
            {
                lines.AddRange(previous.Segments
                    .Where(s => !policy.Segments.Any(n => string.Equals(n.MaskedTopic, s.MaskedTopic, StringComparison.Ordinal)))
                    .OrderBy(s => s.Name, StringComparer.Ordinal)
                    .Select(s => $"  {s.Name}: only in the previous policy: nothing writes {s.MaskedTopic} any more"));
            }
        }

        return new Result(lines, problems + breaks, breaks);
    }

    // The registry checks per subject, so the previous masked schemas are those of the previous segments writing the
    // same topic (the same segment, unless the topic pattern or the segment name changed).
    private static (IReadOnlyList<string> Lines, int Breaks) Compare(
        SegmentPolicy segment, MaskedSchema masked, PrivacyPolicy previous, (PrivacyPolicy Policy, IReadOnlyDictionary<string, string> Refused) earlier, RecordSchema writer)
    {
        var olds = earlier.Policy.Segments
            .Where(s => string.Equals(s.MaskedTopic, segment.MaskedTopic, StringComparison.Ordinal))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        if (olds.Count == 0)
        {
            return (["    new topic: no segment of the previous policy writes it, so nothing to break"], 0);
        }

        var lines = new List<string>();
        if (segment.Output != OutputFormat.Avro)
        {
            lines.AddRange(olds.Where(o => o.Output == OutputFormat.Avro).Select(o =>
                $"    warning: the previous policy wrote Avro to this topic{From(o, segment)}: its consumers now get JSON"));
            lines.Add("    output json: no subject is registered, nothing to check against the previous policy");
            return (lines, 0);
        }

        var breaks = 0;
        foreach (var old in olds)
        {
            if (old.Output != OutputFormat.Avro)
            {
                lines.Add($"    warning: the previous policy wrote JSON to this topic{From(old, segment)}: its consumers now get Avro (a new subject: nothing to break)");
                continue;
            }

            var oldMasked = earlier.Refused.ContainsKey(old.Name) ? null : Derive(writer, old, previous.Version).Schema;
            if (oldMasked is null)
            {
                lines.Add($"    the previous policy{From(old, segment)} wrote no records of this schema: nothing to break");
                continue;
            }

            var found = MaskedSchemaCompatibility.Check(masked.Schema, oldMasked.Schema);
            if (found.Count == 0)
            {
                lines.Add($"    backward compatible with previous policy version '{previous.Version}'{From(old, segment)}");
                continue;
            }

            lines.AddRange(found.Select(b => "    break: " + b.Describe(segment.Fields.FirstOrDefault(r => r.Path.Text == b.Path)?.Action.Name) + From(old, segment)));
            breaks += found.Count;
        }

        return (lines, breaks);
    }

    private static string From(SegmentPolicy old, SegmentPolicy segment) =>
        string.Equals(old.Name, segment.Name, StringComparison.Ordinal) ? "" : $" (previous segment {old.Name})";

    // As the service does (SchemaTagPlans): tags that cannot be read refuse the schema in every segment.
    private static (PrivacyPolicy Policy, IReadOnlyDictionary<string, string> Refused) Resolve(PrivacyPolicy policy, RecordSchema writer)
    {
        try
        {
            return SchemaTagRules.Apply(policy, writer);
        }
        catch (SchemaParseException e)
        {
            return (policy, policy.Segments.ToDictionary(s => s.Name, _ => e.Message, StringComparer.Ordinal));
        }
    }

    private static (MaskedSchema? Schema, string? Error) Derive(RecordSchema writer, SegmentPolicy segment, string version)
    {
        try
        {
            return (MaskedSchemaDeriver.Derive(writer, segment, version), null);
        }
        catch (SchemaParseException e)
        {
            return (null, e.Message);
        }
    }

    private static (RecordSchema? Schema, string? Error) Read(FileInfo file)
    {
        if (!file.Exists)
        {
            return (null, "file not found");
        }

        try
        {
            var schema = Schema.Parse(File.ReadAllText(file.FullName));
            return schema is RecordSchema record
                ? (record, null)
                : (null, $"the top type is {schema.Tag.ToString().ToLowerInvariant()}, not a record: masked records need a record writer schema");
        }
        catch (Exception e) when (e is AvroException or IOException or UnauthorizedAccessException or Newtonsoft.Json.JsonException)
        {
            return (null, "not a readable Avro schema: " + e.Message);
        }
    }
}
