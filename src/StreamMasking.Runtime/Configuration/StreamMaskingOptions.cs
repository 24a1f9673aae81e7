namespace StreamMasking.Runtime.Configuration;

/// <summary>
/// Root options of the StreamMasking service, bound from the <c>StreamMasking</c> configuration section.
/// Each concern has its own options class; <see cref="StreamMaskingOptionsValidator"/> checks them at start.
/// </summary>
public sealed class StreamMaskingOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "StreamMasking";

    /// <summary>Kafka connection and client pass-through properties.</summary>
    public KafkaOptions Kafka { get; set; } = new();

    /// <summary>Input topics, consumer group, transactions and batching of the pipeline.</summary>
    public PipelineOptions Pipeline { get; set; } = new();

    /// <summary>Provisioning of the topics the service writes to.</summary>
    public TopicOptions Topics { get; set; } = new();

    /// <summary>The dead-letter topic and what a dead-letter record carries.</summary>
    public DeadLetterOptions DeadLetters { get; set; } = new();

    /// <summary>Where the tokenization master secret comes from.</summary>
    public SecretOptions Secrets { get; set; } = new();

    /// <summary>The privacy policy file.</summary>
    public PolicyOptions Policy { get; set; } = new();

    /// <summary>Local state directory and timer of windowed segments.</summary>
    public StateOptions State { get; set; } = new();

    /// <summary>The window aggregates topic.</summary>
    public AggregatesOptions Aggregates { get; set; } = new();

    /// <summary>The audit topic.</summary>
    public AuditOptions Audit { get; set; } = new();

    /// <summary>Prometheus metrics (label bounds).</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>The HTTP endpoints (metrics, health, readiness, privacy map).</summary>
    public HttpOptions Http { get; set; } = new();
}
