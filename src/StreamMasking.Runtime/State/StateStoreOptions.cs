using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Runtime.State;

/// <summary>Where and how state stores keep their local data.</summary>
internal sealed class StateStoreOptions
{
    /// <summary>
    /// Root directory of local state; stores live in <c>&lt;StateDirectory&gt;/&lt;ApplicationId&gt;/&lt;store&gt;-&lt;partition&gt;/</c>.
    /// Local state is a cache of the changelog topics: deleting it loses nothing. Required.
    /// </summary>
    public required string StateDirectory { get; init; }

    /// <summary>Prefix of changelog topics and the directory level under <see cref="StateDirectory"/>. Required.</summary>
    public required string ApplicationId { get; init; }

    /// <summary>
    /// Changelog records applied since the last checkpoint after which a commit also flushes RocksDB and writes a
    /// new checkpoint (a checkpoint is always written after a restore and on close). Lower means shorter restores
    /// after a crash and more flushes. Unit: records. The default value is 10,000 (as Kafka Streams under EOS).
    /// </summary>
    public int CheckpointAfterRecords { get; init; } = 10_000;

    /// <summary>
    /// How long opening a store waits for its directory lock, held by a previous owner still closing (a revoked
    /// stage of this process) before failing. The default value is 30 seconds.
    /// </summary>
    public TimeSpan LockWaitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a restore waits for a transaction left open on a changelog partition (by a frozen or partitioned
    /// former owner) to be committed or aborted before it refuses to open the store, so the partition is not
    /// processed. Set it above the transaction timeout of every instance: the broker aborts an open transaction when
    /// its timeout expires. The default value is 90 seconds (the default transaction timeout of 60 s plus a margin).
    /// </summary>
    public TimeSpan StableChangelogTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Throws <see cref="ArgumentException"/> naming every invalid setting.</summary>
    internal void Validate()
    {
        var errors = Errors();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => e.Message)), errors[0].Property);
        }
    }

    /// <summary>Every invalid setting with the property it names (empty when valid).</summary>
    internal IReadOnlyList<(string Property, string Message)> Errors()
    {
        var errors = new List<(string Property, string Message)>();
        if (string.IsNullOrWhiteSpace(StateDirectory))
        {
            errors.Add((nameof(StateDirectory), "StateDirectory is required."));
        }

        // It is also a directory name: the topic-name alphabet keeps it inside StateDirectory ("." and ".." fail).
        if (!TopicNameRules.IsValid(ApplicationId, out var problem))
        {
            errors.Add((nameof(ApplicationId), $"ApplicationId {problem}."));
        }

        if (CheckpointAfterRecords < 1)
        {
            errors.Add((nameof(CheckpointAfterRecords), "CheckpointAfterRecords must be at least 1."));
        }

        if (StableChangelogTimeout < TimeSpan.Zero)
        {
            errors.Add((nameof(StableChangelogTimeout), "StableChangelogTimeout must not be negative."));
        }

        if (LockWaitTimeout < TimeSpan.Zero)
        {
            errors.Add((nameof(LockWaitTimeout), "LockWaitTimeout must not be negative."));
        }

        return errors;
    }

    /// <summary>The changelog topic of <paramref name="storeName"/>.</summary>
    internal string ChangelogTopicFor(string storeName) => ChangelogTopics.NameFor(ApplicationId, storeName);
}
