using System.Globalization;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Identity;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Audit.Events;

/// <summary>The <see cref="AuditEventTypes.SchemaFieldsUnnamed"/> event.</summary>
internal static class SchemaFieldsUnnamedEvent
{
    /// <summary>
    /// Records of <paramref name="segment"/> written with Avro writer schema <paramref name="writerSchema"/> carry fields
    /// the segment's rules do not name (<paramref name="unnamedFields"/>, dotted paths): they are dropped. Subject: the
    /// segment. Data: stage, segment, the writer schema's full name and 64-bit parsing-form fingerprint (hex), the
    /// segment's content hash and the field paths (schema metadata, never values). The id is a function of type,
    /// segment, content hash and fingerprint, so every report of one (segment, policy content, writer schema) has the
    /// same id, whichever instance or start of the stage sends it.
    /// </summary>
    internal static OutputRecord SchemaFieldsUnnamed(this AuditEventWriter writer, string stage, SegmentPolicy segment,
        string writerSchema, long writerFingerprint, IReadOnlyList<string> unnamedFields)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentException.ThrowIfNullOrEmpty(writerSchema);
        ArgumentNullException.ThrowIfNull(unnamedFields);
        var contentHash = PolicyContentHash.Of(segment);
        var fingerprint = writerFingerprint.ToString("x16", CultureInfo.InvariantCulture);
        var id = AuditEventWriter.DeterministicId(AuditEventTypes.SchemaFieldsUnnamed, segment.Name, contentHash, fingerprint);
        return writer.Build(AuditEventTypes.SchemaFieldsUnnamed, id, segment.Name, segment.Name, json =>
        {
            json.WriteString("stage", stage);
            json.WriteString("segment", segment.Name);
            json.WriteString("writerSchema", writerSchema);
            json.WriteString("writerFingerprint", fingerprint);
            json.WriteString("contentHash", contentHash);
            json.WriteStartArray("unnamedFields");
            foreach (var field in unnamedFields)
            {
                json.WriteStringValue(field);
            }

            json.WriteEndArray();
        });
    }
}
