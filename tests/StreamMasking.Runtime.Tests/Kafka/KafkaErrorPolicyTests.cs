using Confluent.Kafka;
using StreamMasking.Runtime.Kafka;

namespace StreamMasking.Runtime.Tests.Kafka;

public sealed class KafkaErrorPolicyTests
{
    [Fact]
    public void Classify_FencedFatal_Fenced()
    {
        var e = new KafkaException(new Error(ErrorCode.Local_Fenced, "fenced", isFatal: true));

        KafkaErrorPolicy.Classify(e).ShouldBe(KafkaErrorAction.Fenced);
    }

    [Fact]
    public void Classify_OtherFatal_Fatal()
    {
        var e = new KafkaException(new Error(ErrorCode.Local_Fatal, "boom", isFatal: true));

        KafkaErrorPolicy.Classify(e).ShouldBe(KafkaErrorAction.Fatal);
    }

    [Fact]
    public void Classify_TxnRequiresAbort_Abort()
    {
        var e = new KafkaTxnRequiresAbortException(new Error(ErrorCode.InvalidTxnState, "abort me"));

        KafkaErrorPolicy.Classify(e).ShouldBe(KafkaErrorAction.Abort);
    }

    [Fact]
    public void Classify_Retriable_Retry()
    {
        var e = new KafkaRetriableException(new Error(ErrorCode.Local_TimedOut, "slow"));

        KafkaErrorPolicy.Classify(e).ShouldBe(KafkaErrorAction.Retry);
    }

    [Fact]
    public void Classify_UnknownNonFatal_AbortIsTheSafeDefault()
    {
        var e = new KafkaException(new Error(ErrorCode.IllegalGeneration, "rebalanced"));

        KafkaErrorPolicy.Classify(e).ShouldBe(KafkaErrorAction.Abort);
    }

    [Theory]
    [InlineData(ErrorCode.MsgSizeTooLarge)]
    [InlineData(ErrorCode.InvalidRecord)]
    [InlineData(ErrorCode.RecordListTooLarge)]
    public void Classify_RecordTooLarge_FatalEvenWhenTheTransactionWouldAbort(ErrorCode code)
    {
        KafkaErrorPolicy.Classify(new KafkaException(new Error(code, "too large"))).ShouldBe(KafkaErrorAction.Fatal);
        KafkaErrorPolicy.Classify(new KafkaTxnRequiresAbortException(new Error(code, "too large")))
            .ShouldBe(KafkaErrorAction.Fatal);
    }

    [Fact]
    public void ClassifyConsume_NonFatal_Retry()
    {
        KafkaErrorPolicy.ClassifyConsume(new Error(ErrorCode.Local_Transport, "down")).ShouldBe(KafkaErrorAction.Retry);
    }
}
