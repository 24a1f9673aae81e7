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
    /// Transactional id stem. Each stage of each instance uses <c>{prefix}.{stage}.{InstanceId}</c>. The default
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
    /// Set when the input topics are already keyed by segment name (partitioned by segment upstream); the "route"
    /// stage is then skipped and "mask" consumes the input topics directly. The default value is <c>false</c>.
    /// </summary>
    public bool InputKeyedBySegment { get; set; }

    /// <summary>Internal topic keyed by segment name between the two stages. The default is <c>streammasking.repartition</c>.</summary>
    public string RepartitionTopic { get; set; } = "streammasking.repartition";

    /// <summary>A transaction commits after this many consumed records. The default value is 500.</summary>
    public int BatchMaxRecords { get; set; } = 500;

    /// <summary>A transaction commits at the latest this long after it began. The default value is 200 ms.</summary>
    public TimeSpan BatchMaxInterval { get; set; } = TimeSpan.FromMilliseconds(200);

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
}
