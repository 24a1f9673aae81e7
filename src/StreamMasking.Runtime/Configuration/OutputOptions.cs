namespace StreamMasking.Runtime.Configuration;

/// <summary>Where window aggregates go (<c>StreamMasking:Aggregates</c>).</summary>
public sealed class AggregatesOptions
{
    /// <summary>
    /// Topic receiving one record per released window aggregate (and continual total), keyed by segment, value the
    /// canonical release JSON. The default is <c>streammasking.aggregates</c>.
    /// </summary>
    public string Topic { get; set; } = "streammasking.aggregates";

    /// <summary>
    /// Encoding of the topic's values: <c>json</c> (the canonical release JSON, header
    /// <c>content-type: application/json</c>) or <c>avro</c> (the same fields under <c>schemas/release.avsc</c>,
    /// registered as <c>&lt;topic&gt;-value</c> in <c>SchemaRegistry:Url</c>, Confluent-framed). The default is
    /// <c>json</c>.
    /// </summary>
    public string Format { get; set; } = OutputFormats.Json;
}

/// <summary>Where audit events go (<c>StreamMasking:Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>
    /// Topic receiving CloudEvents audit events (policy loads, releases, budget debits, suppressions, dead-letter and
    /// drop summaries), keyed by subject. The default is <c>streammasking.audit</c>.
    /// </summary>
    public string Topic { get; set; } = "streammasking.audit";

    /// <summary>
    /// Encoding of the topic's values: <c>json</c> (CloudEvents structured mode, header
    /// <c>content-type: application/cloudevents+json; charset=utf-8</c>) or <c>avro</c> (the same attributes and
    /// data under <c>schemas/audit-event.avsc</c>, registered as <c>&lt;topic&gt;-value</c> in
    /// <c>SchemaRegistry:Url</c>, Confluent-framed). The default is <c>json</c>.
    /// </summary>
    public string Format { get; set; } = OutputFormats.Json;
}

/// <summary>The values of <see cref="AggregatesOptions.Format"/> and <see cref="AuditOptions.Format"/>.</summary>
public static class OutputFormats
{
    /// <summary>UTF-8 JSON values.</summary>
    public const string Json = "json";

    /// <summary>Avro binary values in the Confluent wire format, under the topic's embedded schema.</summary>
    public const string Avro = "avro";
}
