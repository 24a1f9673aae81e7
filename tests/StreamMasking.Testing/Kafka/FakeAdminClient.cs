using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace StreamMasking.Testing.Kafka;

/// <summary>
/// An in-memory admin client over a <see cref="FakeBroker"/>: metadata of the broker's topics (one broker, id 1,
/// leading every partition) and DeleteRecords, recorded in <see cref="DeletedRecords"/>. Members the runtime's unit
/// tests do not need throw <see cref="NotSupportedException"/>.
/// </summary>
public sealed class FakeAdminClient : IAdminClient
{
    private readonly FakeBroker _broker;
    private readonly FailureScript _failures;
    private readonly List<IReadOnlyList<TopicPartitionOffset>> _deleted = [];
    private bool _disposed;

    internal FakeAdminClient(FakeBroker broker, FailureScript failures, string clientId)
    {
        _broker = broker;
        _failures = failures;
        Name = clientId;
    }

    /// <summary>Client id the admin client was created with.</summary>
    public string Name { get; }

    /// <summary>True once <see cref="Dispose"/> ran.</summary>
    public bool IsDisposed => _broker.Locked(() => _disposed);

    /// <summary>Every DeleteRecords request that succeeded, in order (records below each offset deleted).</summary>
    public IReadOnlyList<IReadOnlyList<TopicPartitionOffset>> DeletedRecords => _broker.Locked(() => _deleted.ToList());

    public Metadata GetMetadata(string topic, TimeSpan timeout)
    {
        Use(nameof(GetMetadata));
        var partitions = _broker.PartitionsOf([topic]);
        var found = partitions.Count == 0
            ? new TopicMetadata(topic, [], new Error(ErrorCode.UnknownTopicOrPart))
            : new TopicMetadata(topic, [.. partitions.Select(p => new PartitionMetadata(p.Partition.Value, 1, [1], [1], new Error(ErrorCode.NoError)))],
                new Error(ErrorCode.NoError));
        return new Metadata([new BrokerMetadata(1, "fake", 9092)], [found], 1, "fake");
    }

    public Metadata GetMetadata(TimeSpan timeout) => throw Unsupported();

    public Task<List<DeleteRecordsResult>> DeleteRecordsAsync(IEnumerable<TopicPartitionOffset> topicPartitionOffsets,
        DeleteRecordsOptions? options = null)
    {
        var request = topicPartitionOffsets.ToList();
        try
        {
            Use(nameof(DeleteRecordsAsync));
        }
        catch (KafkaException e)
        {
            return Task.FromException<List<DeleteRecordsResult>>(e);
        }

        _broker.Locked(() =>
        {
            _deleted.Add(request);
            return true;
        });
        return Task.FromResult(request.Select(o => new DeleteRecordsResult { Topic = o.Topic, Partition = o.Partition, Offset = o.Offset }).ToList());
    }

    public Task AlterConfigsAsync(Dictionary<ConfigResource, List<ConfigEntry>> configs, AlterConfigsOptions? options = null) =>
        throw Unsupported();

    public Task<List<AlterConsumerGroupOffsetsResult>> AlterConsumerGroupOffsetsAsync(IEnumerable<ConsumerGroupTopicPartitionOffsets> groupPartitions,
        AlterConsumerGroupOffsetsOptions? options = null) => throw Unsupported();

    public Task AlterUserScramCredentialsAsync(IEnumerable<UserScramCredentialAlteration> alterations,
        AlterUserScramCredentialsOptions? options = null) => throw Unsupported();

    public Task CreateAclsAsync(IEnumerable<AclBinding> aclBindings, CreateAclsOptions? options = null) => throw Unsupported();

    public Task CreatePartitionsAsync(IEnumerable<PartitionsSpecification> partitionsSpecifications,
        CreatePartitionsOptions? options = null) => throw Unsupported();

    public Task CreateTopicsAsync(IEnumerable<TopicSpecification> topics, CreateTopicsOptions? options = null) => throw Unsupported();

    public Task<List<DeleteAclsResult>> DeleteAclsAsync(IEnumerable<AclBindingFilter> aclBindingFilters, DeleteAclsOptions? options = null) =>
        throw Unsupported();

    public Task<DeleteConsumerGroupOffsetsResult> DeleteConsumerGroupOffsetsAsync(string group, IEnumerable<TopicPartition> partitions,
        DeleteConsumerGroupOffsetsOptions? options = null) => throw Unsupported();

    public Task DeleteGroupsAsync(IList<string> groups, DeleteGroupsOptions? options = null) => throw Unsupported();

    public Task DeleteTopicsAsync(IEnumerable<string> topics, DeleteTopicsOptions? options = null) => throw Unsupported();

    public Task<DescribeAclsResult> DescribeAclsAsync(AclBindingFilter aclBindingFilter, DescribeAclsOptions? options = null) => throw Unsupported();

    public Task<List<DescribeConfigsResult>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources, DescribeConfigsOptions? options = null) =>
        throw Unsupported();

    public Task<DescribeConsumerGroupsResult> DescribeConsumerGroupsAsync(IEnumerable<string> groups, DescribeConsumerGroupsOptions? options = null) =>
        throw Unsupported();

    public Task<DescribeUserScramCredentialsResult> DescribeUserScramCredentialsAsync(IEnumerable<string> users, DescribeUserScramCredentialsOptions? options = null) =>
        throw Unsupported();

    public Task<List<IncrementalAlterConfigsResult>> IncrementalAlterConfigsAsync(Dictionary<ConfigResource, List<ConfigEntry>> configs,
        IncrementalAlterConfigsOptions? options = null) => throw Unsupported();

    public Task<List<ListConsumerGroupOffsetsResult>> ListConsumerGroupOffsetsAsync(IEnumerable<ConsumerGroupTopicPartitions> groupPartitions,
        ListConsumerGroupOffsetsOptions? options = null) => throw Unsupported();

    public Task<ListConsumerGroupsResult> ListConsumerGroupsAsync(ListConsumerGroupsOptions? options = null) => throw Unsupported();

    public GroupInfo ListGroup(string group, TimeSpan timeout) => throw Unsupported();

    public List<GroupInfo> ListGroups(TimeSpan timeout) => throw Unsupported();

    public void Dispose() => _broker.Locked(() => _disposed = true);

    public Handle Handle => throw Unsupported();

    public int AddBrokers(string brokers) => throw Unsupported();

    public void SetSaslCredentials(string username, string password) => throw Unsupported();

    private static NotSupportedException Unsupported([System.Runtime.CompilerServices.CallerMemberName] string member = "") =>
        new($"{nameof(FakeAdminClient)}.{member} is not implemented by the fake admin client.");

    private void Use(string method)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        _failures.Call(method);
    }
}
