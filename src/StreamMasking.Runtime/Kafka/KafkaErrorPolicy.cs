using Confluent.Kafka;

namespace StreamMasking.Runtime.Kafka;

/// <summary>The one place that decides how a Kafka error is handled (fatal, fenced, abortable, retriable).</summary>
internal static class KafkaErrorPolicy
{
    /// <summary>Classifies an exception thrown by a producer or consumer call.</summary>
    internal static KafkaErrorAction Classify(KafkaException exception)
    {
        var code = exception.Error.Code;
        if (IsFencing(code))
        {
            return KafkaErrorAction.Fenced;
        }

        if (exception.Error.IsFatal)
        {
            return KafkaErrorAction.Fatal;
        }

        // A record the broker or client will never accept fails the same way on every retry: aborting and redoing
        // the transaction would loop forever, so the stage stops and says which limit was hit.
        if (IsDeterministicRejection(code))
        {
            return KafkaErrorAction.Fatal;
        }

        if (exception is KafkaTxnRequiresAbortException)
        {
            return KafkaErrorAction.Abort;
        }

        if (exception is KafkaRetriableException || code is ErrorCode.Local_TimedOut or ErrorCode.RequestTimedOut
            or ErrorCode.Local_Transport or ErrorCode.NotCoordinatorForGroup or ErrorCode.GroupLoadInProgress
            or ErrorCode.GroupCoordinatorNotAvailable)
        {
            return KafkaErrorAction.Retry;
        }

        // Anything else during a transaction (e.g. a rebalance changed the generation under
        // SendOffsetsToTransaction) leaves the outcome unknown: abort and redo the work is always safe.
        return KafkaErrorAction.Abort;
    }

    /// <summary>Classifies a consume error: fatal consumer errors stop, the rest are logged and retried.</summary>
    internal static KafkaErrorAction ClassifyConsume(Error error) => error.IsFatal
        ? (IsFencing(error.Code) ? KafkaErrorAction.Fenced : KafkaErrorAction.Fatal)
        : KafkaErrorAction.Retry;

    private static bool IsDeterministicRejection(ErrorCode code) => code is ErrorCode.MsgSizeTooLarge
        or ErrorCode.RecordListTooLarge or ErrorCode.InvalidRecord;

    private static bool IsFencing(ErrorCode code) => code is ErrorCode.Local_Fenced or ErrorCode.ProducerFenced
        or ErrorCode.InvalidProducerEpoch or ErrorCode.FencedInstanceId;
}
