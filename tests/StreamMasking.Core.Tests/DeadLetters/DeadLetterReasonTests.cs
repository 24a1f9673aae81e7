using StreamMasking.Core.DeadLetters;

namespace StreamMasking.Core.Tests.DeadLetters;

public sealed class DeadLetterReasonTests
{
    [Theory]
    [InlineData(DeadLetterReason.UnmatchedSegment, "unmatched_segment")]
    [InlineData(DeadLetterReason.MalformedRecord, "malformed_record")]
    [InlineData(DeadLetterReason.FieldActionFailed, "field_action_failed")]
    [InlineData(DeadLetterReason.SchemaMismatch, "schema_mismatch")]
    [InlineData(DeadLetterReason.LateRecord, "late_record")]
    [InlineData(DeadLetterReason.TimestampOutOfRange, "timestamp_out_of_range")]
    [InlineData(DeadLetterReason.UnknownMagicByte, "unknown_magic_byte")]
    [InlineData(DeadLetterReason.UnknownSchemaId, "unknown_schema_id")]
    [InlineData(DeadLetterReason.CorruptAvro, "corrupt_avro")]
    [InlineData(DeadLetterReason.AvroSchemaMismatch, "avro_schema_mismatch")]
    public void ToCode_IsStableSnakeCase(DeadLetterReason reason, string code) => reason.ToCode().ShouldBe(code);

    [Fact]
    public void Reasons_AreAppendedNeverReordered() =>
        Enum.GetValues<DeadLetterReason>().Select(r => ((int)r, r.ToCode())).ShouldBe(
        [
            (0, "unmatched_segment"), (1, "malformed_record"), (2, "field_action_failed"), (3, "schema_mismatch"),
            (4, "late_record"), (5, "timestamp_out_of_range"), (6, "unknown_magic_byte"), (7, "unknown_schema_id"),
            (8, "corrupt_avro"), (9, "avro_schema_mismatch"),
        ]);

    [Fact]
    public void ToCode_EveryReasonHasADistinctCode() =>
        Enum.GetValues<DeadLetterReason>().Select(r => r.ToCode()).Distinct().Count().ShouldBe(Enum.GetValues<DeadLetterReason>().Length);
}
