namespace StreamMasking.Core.DeadLetters;

/// <summary>Stable wire codes for <see cref="DeadLetterReason"/> (used in dead-letter headers and metric labels).</summary>
public static class DeadLetterReasonExtensions
{
    /// <summary>The stable snake_case code of a reason, e.g. <c>unmatched_segment</c>. Codes never change once shipped.</summary>
    public static string ToCode(this DeadLetterReason reason) => reason switch
    {
        DeadLetterReason.UnmatchedSegment => "unmatched_segment",
        DeadLetterReason.MalformedRecord => "malformed_record",
        DeadLetterReason.FieldActionFailed => "field_action_failed",
        DeadLetterReason.SchemaMismatch => "schema_mismatch",
        DeadLetterReason.LateRecord => "late_record",
        DeadLetterReason.TimestampOutOfRange => "timestamp_out_of_range",
        DeadLetterReason.UnknownMagicByte => "unknown_magic_byte",
        DeadLetterReason.UnknownSchemaId => "unknown_schema_id",
        DeadLetterReason.CorruptAvro => "corrupt_avro",
        DeadLetterReason.AvroSchemaMismatch => "avro_schema_mismatch",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown dead-letter reason."),
    };
}
