using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Transactions;

/// <summary>Writes COMMIT/ABORT control markers into partition logs (Kafka's WriteTxnMarkers, in-process).</summary>
internal interface ITransactionMarkerWriter
{
    ErrorCode WriteMarker(string topic, int partition, long producerId, short producerEpoch, bool commit);
}
