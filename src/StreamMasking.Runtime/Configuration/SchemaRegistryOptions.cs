namespace StreamMasking.Runtime.Configuration;

/// <summary>
/// The schema registry (<c>StreamMasking:SchemaRegistry</c>): any registry speaking Confluent's REST API
/// (Confluent, Karapace, Apicurio's compatibility API, Redpanda). Needed when an input topic is
/// <c>avro-confluent</c>; <see cref="LocalSchemaDirectory"/> serves <c>avro-single-object</c> inputs.
/// </summary>
public sealed class SchemaRegistryOptions
{
    /// <summary>Base URL(s), comma-separated, e.g. <c>https://registry:8081</c>. The default is empty (no registry).</summary>
    public string Url { get; set; } = "";

    /// <summary><c>user:password</c> for HTTP basic auth. The default is empty (none).</summary>
    public string BasicAuth { get; set; } = "";

    /// <summary>A static bearer token sent as <c>Authorization: Bearer …</c>. The default is empty (none). Not together with <see cref="BasicAuth"/>.</summary>
    public string BearerToken { get; set; } = "";

    /// <summary>PEM file of the CA that signed the registry's TLS certificate. The default is empty (system trust store).</summary>
    public string SslCaLocation { get; set; } = "";

    /// <summary>Timeout of one registry request. The default value is 10 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Attempts at a registry call before the stage gives up on the current transaction (it aborts, waits
    /// <c>Pipeline:RetryBackoff</c> and re-reads: the stage pauses on the record, nothing is dead-lettered). The
    /// default value is 3.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Directory of <c>.avsc</c> files for <c>avro-single-object</c> inputs, found by their CRC-64-AVRO
    /// fingerprint. The default is empty (none).
    /// </summary>
    public string LocalSchemaDirectory { get; set; } = "";
}
