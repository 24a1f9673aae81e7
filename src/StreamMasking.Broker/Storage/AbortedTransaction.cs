namespace StreamMasking.Broker.Storage;

/// <summary>An aborted transaction in a partition: records of <see cref="ProducerId"/> from <see cref="FirstOffset"/> to the abort marker at <see cref="LastOffset"/>.</summary>
internal sealed record AbortedTransaction(long ProducerId, long FirstOffset, long LastOffset);
