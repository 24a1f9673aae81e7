using Microsoft.Extensions.Logging;
using StreamMasking.Broker.Groups.Api;
using StreamMasking.Broker.Server;
using StreamMasking.Broker.Transactions;
using StreamMasking.Broker.Transactions.Api;

namespace StreamMasking.Broker.Groups;

/// <summary>
/// Creates the group and transaction coordinators (one module because EndTxn completes group offsets) and registers
/// their APIs. State lives under <c>&lt;data dir&gt;/coordinators</c> when the broker has a data directory.
/// </summary>
internal sealed class CoordinatorModule : IBrokerModule
{
    private GroupCoordinator? _groups;
    private TransactionCoordinator? _transactions;

    public GroupCoordinator Groups => _groups ?? throw new InvalidOperationException("The coordinator module has not started.");

    public TransactionCoordinator Transactions => _transactions ?? throw new InvalidOperationException("The coordinator module has not started.");

    public ValueTask StartAsync(BrokerContext broker, ApiRegistry registry, CancellationToken cancellationToken)
    {
        var stateDirectory = broker.DataDirectory is null ? null : Path.Combine(broker.DataDirectory, "coordinators");
        var catalog = new TopicManagerCatalog(broker.Topics);
        var groupOptions = new GroupCoordinatorOptions { InitialRebalanceDelayMs = broker.Options.GroupInitialRebalanceDelayMs };
        _groups = new GroupCoordinator(groupOptions, new GroupOffsetStore(stateDirectory), catalog, broker.Time, broker.LoggerFactory.CreateLogger<GroupCoordinator>());
        var transactionOptions = new TransactionCoordinatorOptions { MaxTransactionTimeoutMs = broker.Options.TransactionMaxTimeoutMs };
        _transactions = new TransactionCoordinator(
            transactionOptions, new TransactionStateStore(stateDirectory), new PartitionMarkerWriter(broker.Topics), _groups, catalog,
            broker.Time, broker.LoggerFactory.CreateLogger<TransactionCoordinator>());

        registry.Register(new FindCoordinatorHandler());
        registry.Register(new JoinGroupHandler(_groups));
        registry.Register(new SyncGroupHandler(_groups));
        registry.Register(new HeartbeatHandler(_groups));
        registry.Register(new LeaveGroupHandler(_groups));
        registry.Register(new OffsetCommitHandler(_groups));
        registry.Register(new OffsetFetchHandler(_groups));
        registry.Register(new DescribeGroupsHandler(_groups));
        registry.Register(new ListGroupsHandler(_groups));
        registry.Register(new DeleteGroupsHandler(_groups));
        registry.Register(new InitProducerIdHandler(_transactions));
        registry.Register(new AddPartitionsToTxnHandler(_transactions));
        registry.Register(new AddOffsetsToTxnHandler(_transactions));
        registry.Register(new EndTxnHandler(_transactions));
        registry.Register(new TxnOffsetCommitHandler(_transactions, _groups));
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _transactions?.Dispose();
        _groups?.Dispose();
        return ValueTask.CompletedTask;
    }
}
