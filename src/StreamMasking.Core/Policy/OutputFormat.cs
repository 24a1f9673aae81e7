namespace StreamMasking.Core.Policy;

/// <summary>How a segment's masked records are written (<c>output</c> in the policy).</summary>
public enum OutputFormat
{
    /// <summary><c>json</c> (the default): UTF-8 JSON, content type <c>application/json</c>.</summary>
    Json,

    /// <summary>
    /// <c>avro</c>: Avro binary under the masked schema derived from the record's writer schema, registered under
    /// the masked topic's subject (<c>&lt;topic&gt;-value</c>) and framed in the Confluent wire format. Needs Avro
    /// input and a schema registry.
    /// </summary>
    Avro,
}
