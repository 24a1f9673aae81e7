using Avro;

namespace StreamMasking.Runtime.Serialization;

/// <summary>
/// The Avro schemas of the service's own topics, embedded in this assembly from the repository's <c>schemas/</c>
/// folder: <c>release.avsc</c> (aggregates topic) and <c>audit-event.avsc</c> (audit topic).
/// </summary>
internal static class OutputSchemas
{
    /// <summary>File name of the aggregates topic's schema.</summary>
    internal const string Release = "release.avsc";

    /// <summary>File name of the audit topic's schema.</summary>
    internal const string AuditEvent = "audit-event.avsc";

    /// <summary>The text of an embedded schema, as the file holds it.</summary>
    internal static string Text(string file)
    {
        var name = "StreamMasking.Runtime.Schemas." + file;
        using var stream = typeof(OutputSchemas).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The schema {file} is not embedded in the runtime assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The parsed embedded schema.</summary>
    internal static RecordSchema Parse(string file) => (RecordSchema)Schema.Parse(Text(file));
}
