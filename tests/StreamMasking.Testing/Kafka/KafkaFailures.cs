using Confluent.Kafka;

namespace StreamMasking.Testing.Kafka;

/// <summary>The exceptions the real clients throw, by kind, for <see cref="FailureScript"/>.</summary>
public static class KafkaFailures
{
    /// <summary>A retriable error (the call may be repeated), e.g. a timed-out CommitTransaction.</summary>
    public static Func<Exception> Retriable(ErrorCode code) => () => new KafkaRetriableException(new Error(code, $"scripted retriable {code}"));

    /// <summary>An abortable error: the transaction must be aborted (librdkafka's txn_requires_abort).</summary>
    public static Func<Exception> Abortable(ErrorCode code) => () => new KafkaTxnRequiresAbortException(new Error(code, $"scripted abortable {code}"));

    /// <summary>A fatal error: the client is unusable (e.g. fenced by a newer producer with the same id).</summary>
    public static Func<Exception> Fatal(ErrorCode code) => () => new KafkaException(new Error(code, $"scripted fatal {code}", isFatal: true));

    /// <summary>A plain error of the client, neither flagged retriable, abortable nor fatal.</summary>
    public static Func<Exception> Plain(ErrorCode code) => () => new KafkaException(new Error(code, $"scripted {code}"));

    /// <summary>A consume error (<see cref="ConsumeException"/>), fatal or not.</summary>
    public static Func<Exception> Consume(ErrorCode code, bool fatal = false) => () =>
        new ConsumeException(new ConsumeResult<byte[], byte[]>(), new Error(code, $"scripted consume {code}", fatal));

    /// <summary>The producer's local queue is full (Produce throws; the caller is expected to back off and retry).</summary>
    public static Func<Exception> QueueFull() => () => new ProduceException<byte[]?, byte[]?>(
        new Error(ErrorCode.Local_QueueFull, "scripted queue full"), new DeliveryResult<byte[]?, byte[]?>());
}
