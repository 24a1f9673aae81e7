namespace StreamMasking.Runtime.State;

/// <summary>
/// Where the logging layer sends changelog records: the pipeline's transactional producer, inside the transaction
/// the pipeline loop has open. The sink never begins, commits or aborts a transaction; that is the loop's job.
/// </summary>
internal interface IChangelogSink
{
    /// <summary>Sends one changelog record; <paramref name="value"/> null is a tombstone.</summary>
    void Send(string topic, int partition, byte[] key, byte[]? value);

    /// <summary>
    /// The offset just after the highest record of this changelog partition the broker acknowledged, or null if
    /// none. Read after a commit; a value that is too low is safe (restore then reads more), too high is not.
    /// </summary>
    long? NextOffsetAfterAcknowledged(string topic, int partition);
}
