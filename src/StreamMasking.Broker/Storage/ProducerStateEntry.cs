namespace StreamMasking.Broker.Storage;

/// <summary>
/// Idempotent-producer state of one producer id in one partition: its epoch, the last five appended batches
/// (Kafka keeps five because a producer has at most five requests in flight) and its open transaction.
/// </summary>
internal sealed class ProducerStateEntry
{
    public const int CachedBatches = 5;

    public short Epoch { get; set; } = -1;

    /// <summary>Oldest first.</summary>
    public List<CachedBatch> Batches { get; } = [];

    /// <summary>First offset of the producer's open transaction in this partition, if any.</summary>
    public long? OpenTransactionFirstOffset { get; set; }

    public int CoordinatorEpoch { get; set; } = -1;

    public int LastSequence => Batches.Count == 0 ? -1 : Batches[^1].LastSequence;

    /// <summary>Moves to <paramref name="epoch"/>; a new epoch restarts sequence numbers, so the cache is cleared.</summary>
    public void UpdateEpoch(short epoch)
    {
        if (epoch != Epoch)
        {
            Epoch = epoch;
            Batches.Clear();
        }
    }

    public void Add(CachedBatch batch)
    {
        Batches.Add(batch);
        if (Batches.Count > CachedBatches)
        {
            Batches.RemoveAt(0);
        }
    }

    public CachedBatch? FindDuplicate(int firstSequence, int lastSequence) =>
        Batches.Find(b => b.FirstSequence == firstSequence && b.LastSequence == lastSequence);

    /// <summary>A batch remembered for duplicate detection.</summary>
    internal sealed record CachedBatch(int FirstSequence, int LastSequence, long FirstOffset, long LastOffset, long Timestamp);
}
