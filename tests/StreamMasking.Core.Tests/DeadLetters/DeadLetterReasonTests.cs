using StreamMasking.Core.DeadLetters;

namespace StreamMasking.Core.Tests.DeadLetters;

public sealed class DeadLetterReasonTests
{
    [Theory]
    [InlineData(DeadLetterReason.UnmatchedSegment, "unmatched_segment")]
    [InlineData(DeadLetterReason.MalformedRecord, "malformed_record")]
    [InlineData(DeadLetterReason.FieldActionFailed, "field_action_failed")]
    [InlineData(DeadLetterReason.SchemaMismatch, "schema_mismatch")]
    public void ToCode_IsStableSnakeCase(DeadLetterReason reason, string code) => reason.ToCode().ShouldBe(code);

    [Fact]
    public void ToCode_EveryReasonHasADistinctCode() =>
        Enum.GetValues<DeadLetterReason>().Select(r => r.ToCode()).Distinct().Count().ShouldBe(Enum.GetValues<DeadLetterReason>().Length);
}
