using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Transactions.Api;

/// <summary>
/// PRODUCER_FENCED exists only from certain request versions (KIP-588); older clients get INVALID_PRODUCER_EPOCH, which
/// librdkafka also treats as fatal "fenced" for a transactional producer.
/// </summary>
internal static class FencingErrors
{
    public static ErrorCode ForVersion(ErrorCode error, short version, short producerFencedFromVersion) =>
        error == ErrorCode.ProducerFenced && version < producerFencedFromVersion ? ErrorCode.InvalidProducerEpoch : error;
}
