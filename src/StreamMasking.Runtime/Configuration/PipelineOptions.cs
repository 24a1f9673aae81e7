namespace StreamMasking.Runtime.Configuration;

/// <summary>Options of the consume–transform–produce pipeline (<c>StreamMasking:Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    /// <summary>Topics carrying the raw JSON input records. Required; the default is empty.</summary>
    public List<string> InputTopics { get; set; } = [];

    /// <summary>
    /// Consumer group id stem. Stage "route" joins <c>{ConsumerGroupId}.route</c>, stage "mask" joins
    /// <c>{ConsumerGroupId}.mask</c>. The default value is <c>streammasking</c>.
    /// </summary>
    public string ConsumerGroupId { get; set; } = "streammasking";

    /// <summary>
    /// Transactional id stem. Stream thread 0 of each stage of each instance uses <c>{prefix}.{stage}.{InstanceId}</c>,
    /// thread <c>t</c> ≥ 1 <c>{prefix}.{stage}.{InstanceId}.{t}</c> (see <see cref="StreamThreads"/>). The default
    /// value is <c>streammasking</c>.
    /// </summary>
    public string TransactionalIdPrefix { get; set; } = "streammasking";

    /// <summary>
    /// Identity of this instance, stable across restarts (a pod name in a StatefulSet). A restarted instance with
    /// the same id fences its previous incarnation and aborts the transaction it left open. Two live instances must
    /// use different ids. The default value is the machine name.
    /// </summary>
    public string InstanceId { get; set; } = Environment.MachineName;

    /// <summary>
    /// Format of each input topic's values, by topic name: <c>json</c> (UTF-8 JSON object), <c>avro-confluent</c>
    /// (Avro in the Confluent wire format; writer schemas from <see cref="SchemaRegistryOptions"/>) or
    /// <c>avro-single-object</c> (Avro single-object encoding; schemas from
    /// <see cref="SchemaRegistryOptions.LocalSchemaDirectory"/>). A topic not listed is JSON.
    /// </summary>
    public Dictionary<string, string> InputFormats { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Set when the input topics are already keyed by segment name (partitioned by segment upstream); the "route"
    /// stage is then skipped and "mask" consumes the input topics directly. The default value is <c>false</c>.
    /// </summary>
    public bool InputKeyedBySegment { get; set; }

    /// <summary>Internal topic keyed by segment name between the two stages. The default is <c>streammasking.repartition</c>.</summary>
    public string RepartitionTopic { get; set; } = "streammasking.repartition";

    /// <summary>
    /// Stream threads per stage in this instance (Kafka Streams' <c>num.stream.threads</c>): each runs its own
    /// consumer (one member of the stage's group), transactional producer and processors, so the partitions of a
    /// stage spread over the threads and one instance uses several cores. Thread 0 keeps the ids of a single-thread
    /// instance (<c>{ConsumerGroupId}.{stage}.{InstanceId}</c> as <c>group.instance.id</c>,
    /// <c>{TransactionalIdPrefix}.{stage}.{InstanceId}</c>); thread <c>t</c> ≥ 1 appends <c>.{t}</c>. So an
    /// instance id must not be another instance's id followed by <c>.{n}</c>. Between 1 and 32. The default value is 1.
    /// </summary>
    public int StreamThreads { get; set; } = 1;

    /// <summary>
    /// A transaction commits after this many consumed records: a cap on the work one abort redoes, not the usual
    /// trigger (that is <see cref="BatchMaxInterval"/>). The default value is 10,000.
    /// </summary>
    public int BatchMaxRecords { get; set; } = 10_000;

    /// <summary>
    /// A transaction commits at the latest this long after it began. The default value is 100 ms, Kafka Streams'
    /// <c>commit.interval.ms</c> under exactly-once: each commit costs a few broker round trips (offsets, end of
    /// transaction, markers) during which a stage does no work, so commits by time rather than every few hundred
    /// records keep that cost a small share at any rate, and bound the latency a stage adds.
    /// </summary>
    public TimeSpan BatchMaxInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Longest single consume call. Kept short so that an open transaction is committed on time. The default value
    /// is 100 ms.
    /// </summary>
    public TimeSpan ConsumeTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Broker-side transaction timeout (<c>transaction.timeout.ms</c>). The default value is 60 s.</summary>
    public TimeSpan TransactionTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of InitTransactions, SendOffsetsToTransaction, Commit and Abort calls. The default value is 30 s.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often stage "mask" deletes the records of the repartition topic below its committed offsets
    /// (DeleteRecords, as Kafka Streams' <c>repartition.purge.interval.ms</c>); zero purges after every commit. Not
    /// used with <see cref="InputKeyedBySegment"/> (input topics are never purged). The default value is 30 s.
    /// </summary>
    public TimeSpan RepartitionPurgeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause after an aborted transaction or a retriable error before retrying. The default value is 500 ms.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// When an input topic is missing at start: false (the default) stops the start with an error; true waits for it,
    /// with <c>/readyz</c> false and <c>streammasking_input_topic_missing</c> saying which topic.
    /// </summary>
    public bool WaitForInputTopics { get; set; }

    /// <summary>
    /// How long stage "route", reading its partitions in timestamp order, waits for a partition that has nothing
    /// buffered but may still hold older records before it goes on without it (Kafka Streams' <c>max.task.idle.ms</c>).
    /// Zero never waits. The default value is 1 s.
    /// </summary>
    public TimeSpan MaxTaskIdle { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Bytes (keys, values, headers) stage "route" buffers over its partitions to read them in timestamp order
    /// (Kafka Streams' <c>input.buffer.max.bytes</c>); above it the partitions holding buffered records are paused
    /// until half has drained. The default value is 64 MiB.
    /// </summary>
    public long InputBufferMaxBytes { get; set; } = 64L * 1024 * 1024;
}
