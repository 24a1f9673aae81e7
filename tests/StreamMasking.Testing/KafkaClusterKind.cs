namespace StreamMasking.Testing;

/// <summary>Which Kafka the tests talk to.</summary>
public enum KafkaClusterKind
{
    /// <summary>The StreamMasking local broker, in-process (default).</summary>
    Local,

    /// <summary>An existing cluster named by the KAFKA_BOOTSTRAP_SERVERS environment variable.</summary>
    External,

    /// <summary>A Kafka container started by Testcontainers.Kafka (STREAMMASKING_TESTCONTAINERS=1).</summary>
    Testcontainers,
}
