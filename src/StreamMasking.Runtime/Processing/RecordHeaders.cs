namespace StreamMasking.Runtime.Processing;

/// <summary>Names of the headers StreamMasking writes. Downstream consumers may rely on them.</summary>
public static class RecordHeaders
{
    /// <summary>Segment that produced the masked record (UTF-8 segment name).</summary>
    public const string Segment = "sm-segment";

    /// <summary>Version of the policy that masked the record.</summary>
    public const string PolicyVersion = "sm-policy-version";

    /// <summary>Topic of the original input record.</summary>
    public const string SourceTopic = "sm-source-topic";

    /// <summary>Partition of the original input record (decimal text).</summary>
    public const string SourcePartition = "sm-source-partition";

    /// <summary>Offset of the original input record (decimal text).</summary>
    public const string SourceOffset = "sm-source-offset";

    /// <summary>
    /// The input record's key, carried on the internal repartition topic only for a segment declaring
    /// <c>key: input-key</c> (the mask stage publishes its segment token as the masked record's key). Never written to
    /// an output topic.
    /// </summary>
    public const string SourceKey = "sm-source-key";

    /// <summary>
    /// Content type of a masked record's value: <c>application/json</c>, or
    /// <c>application/vnd.apache.avro+binary; framing=confluent</c> (Confluent wire format, schema in the registry).
    /// </summary>
    public const string ContentType = "content-type";

    /// <summary>Dead-letter reason code (on dead-letter records).</summary>
    public const string DeadLetterReason = "sm-dlq-reason";

    /// <summary>Prefix reserved for StreamMasking's own headers; input headers with it are not trusted.</summary>
    public const string ReservedPrefix = "sm-";
}
