namespace StreamMasking.Runtime.State;

/// <summary>Reads committed changelog records for restore (a seam: Kafka in production, a list in unit tests).</summary>
internal interface IChangelogReader
{
    /// <summary>
    /// The log start offset, the last stable offset and the high watermark of a changelog partition. The high
    /// watermark is queried first, so <see cref="ChangelogOffsets.IsStable"/> proves that every record below it is
    /// decided (committed or aborted).
    /// </summary>
    ChangelogOffsets GetOffsets(string topic, int partition, CancellationToken cancellationToken);

    /// <summary>
    /// Reads committed records from <paramref name="from"/> until the position reaches <paramref name="end"/>,
    /// handing them to <paramref name="applyBatch"/> in offset order (value null = tombstone), and returns the
    /// position reached (at least <paramref name="end"/>). Records of aborted transactions are never handed over.
    /// </summary>
    long Read(string topic, int partition, long from, long end,
        Action<IReadOnlyList<KeyValuePair<byte[], byte[]?>>, long> applyBatch, CancellationToken cancellationToken);
}
