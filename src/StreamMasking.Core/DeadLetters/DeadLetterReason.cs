namespace StreamMasking.Core.DeadLetters;

/// <summary>
/// Why a record was dead-lettered instead of published. The reason and the field path are the only
/// record-derived information a dead letter carries; field values never appear in it.
/// </summary>
public enum DeadLetterReason
{
    /// <summary>No segment's match rules accepted the record (fail closed: it never leaves).</summary>
    UnmatchedSegment,

    /// <summary>The record could not be parsed (for example invalid JSON, or a body that is not an object).</summary>
    MalformedRecord,

    /// <summary>A field's value could not take its action (for example generalizing a string as a number).</summary>
    FieldActionFailed,

    /// <summary>The record's shape contradicts the policy (for example a named nested path runs through a scalar).</summary>
    SchemaMismatch,

    /// <summary>
    /// The record's event-time window was already closed (past its grace) when it arrived, so it can neither be
    /// published nor aggregated; used when the segment's window declares <c>late: dead-letter</c>.
    /// </summary>
    LateRecord,

    /// <summary>
    /// The record's timestamp cannot place it in a window: negative or absent (Kafka's "no timestamp"), beyond year
    /// 9999, or implausibly far ahead of stream time.
    /// </summary>
    TimestampOutOfRange,

    /// <summary>
    /// An Avro input record does not start with its framing: the Confluent wire format's magic byte 0 (followed by a
    /// 4-byte schema id), or single-object encoding's <c>C3 01</c> (followed by an 8-byte fingerprint).
    /// </summary>
    UnknownMagicByte,

    /// <summary>
    /// The schema id of an Avro record is not known to the schema registry (error 40403), or the single-object
    /// fingerprint names no schema of the local schema directory. A registry that cannot be reached is not this: the
    /// stage retries and pauses instead.
    /// </summary>
    UnknownSchemaId,

    /// <summary>The Avro body does not decode under its writer schema (truncated, a length beyond the record, a bad union or enum index, invalid UTF-8, bytes left over).</summary>
    CorruptAvro,

    /// <summary>
    /// The Avro record decodes but cannot be masked: its writer schema is not a record schema (or not Avro), or a value
    /// has no JSON form (NaN, a date outside years 1–9999).
    /// </summary>
    AvroSchemaMismatch,
}
