namespace StreamMasking.Runtime.Configuration;

/// <summary>
/// Local state of windowed segments (<c>StreamMasking:State</c>): window accumulators, sealed windows, budget ledgers,
/// continual counters and per-unit event counts. Local state is only a cache of the changelog topics
/// (<c>{ConsumerGroupId}-dp-state-changelog</c>); deleting the directory loses nothing.
/// </summary>
public sealed class StateOptions
{
    /// <summary>
    /// Root directory of local state (a persistent volume in production). The default is
    /// <c>{temp}/streammasking-state</c>, like Kafka Streams' <c>/tmp/kafka-streams</c>.
    /// </summary>
    public string Directory { get; set; } = Path.Combine(Path.GetTempPath(), "streammasking-state");

    /// <summary>
    /// Changelog records applied after which a commit also flushes RocksDB and writes a checkpoint. Lower means
    /// shorter restores after a crash. The default value is 10,000.
    /// </summary>
    public int CheckpointAfterRecords { get; set; } = 10_000;

    /// <summary>
    /// How often the mask stage checks for idle windows and releases sealed ones, also when no record arrives.
    /// The default value is 1 s.
    /// </summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Segments whose lost continual counters may start again (the operator's explicit action after a
    /// <c>continual_state_lost</c> suppression). A listed segment whose counter state is missing or unreadable gets
    /// new counter incarnations, with independent noise and charged anew from its ledger; a segment whose state is
    /// intact is not affected. Default none: lost counters stay silent.
    /// </summary>
    public IList<string> StartNewContinualCounters { get; set; } = [];
}
