namespace StreamMasking.Runtime.Configuration;

/// <summary>Kafka connection options (<c>StreamMasking:Kafka</c>).</summary>
public sealed class KafkaOptions
{
    /// <summary>
    /// Comma-separated <c>host:port</c> list of the Kafka cluster. When empty, the <c>run</c> command starts the
    /// embedded local broker and uses its address. The default value is empty. The environment variable
    /// <c>KAFKA_BOOTSTRAP_SERVERS</c> is honoured when this is not set.
    /// </summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Prefix of every client id this service creates. The default value is <c>streammasking</c>.</summary>
    public string ClientIdPrefix { get; set; } = "streammasking";

    /// <summary>
    /// Any librdkafka client property passed through to every producer, consumer and admin client, for example
    /// <c>security.protocol</c>, <c>sasl.mechanism</c>, <c>sasl.username</c>, <c>ssl.ca.location</c>. Keys written
    /// without dots (as environment variables force: <c>SECURITY_PROTOCOL</c>) are lower-cased and their underscores
    /// become dots. Properties the pipeline manages itself (group id, transactional id, isolation level, auto
    /// commit, idempotence, bootstrap servers, client id) are rejected. Validated at start. The default is empty.
    /// </summary>
    public Dictionary<string, string> Properties { get; set; } = new(StringComparer.Ordinal);
}
