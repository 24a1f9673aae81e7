using Confluent.Kafka;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.State;

/// <summary>
/// Connects a <see cref="StateStoreManager"/> to the pipeline loop's callbacks. A stateful processor delegates its
/// <see cref="ITransactionParticipant"/> calls here. Only partitions of <c>sourceTopic</c> (the topic whose
/// partitions the stores follow) open or close stores; restores are cancelled by the stage's stopping token.
/// </summary>
internal sealed class StateStoreParticipant : ITransactionParticipant, IDisposable
{
    private readonly StateStoreManager _manager;
    private readonly string _sourceTopic;
    private readonly CancellationToken _stopping;

    internal StateStoreParticipant(StateStoreManager manager, string sourceTopic, CancellationToken stopping)
    {
        _manager = manager;
        _sourceTopic = sourceTopic;
        _stopping = stopping;
    }

    /// <summary>The stores of <paramref name="partition"/> of the source topic.</summary>
    internal IKeyValueStore Store(string storeName, int partition) => _manager.Get(storeName, partition);

    public void OnPartitionsAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        try
        {
            _manager.OpenPartitions(Ours(partitions), _stopping);
        }
        catch (ChangelogUnstableException e)
        {
            // Fail closed: processing with state that may lack committed writes could release twice or overspend.
            throw new StageStoppedException(e.Message, fenced: false, e);
        }
    }

    public void OnPartitionsRevoked(IReadOnlyList<TopicPartition> partitions) => _manager.ClosePartitions(Ours(partitions));

    public void OnPartitionsLost(IReadOnlyList<TopicPartition> partitions) => _manager.ClosePartitions(Ours(partitions));

    public void OnCommitted() => _manager.OnCommitted();

    public void OnAborted() => _manager.OnAborted();

    public void Dispose() => _manager.Dispose();

    private List<int> Ours(IReadOnlyList<TopicPartition> partitions) =>
        partitions.Where(p => p.Topic == _sourceTopic).Select(p => p.Partition.Value).ToList();
}
