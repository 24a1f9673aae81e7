using Confluent.Kafka;
using StreamMasking.Broker.Tests.Groups;

namespace StreamMasking.Broker.Tests.Transactions;

/// <summary>Zombie fencing: a new producer with the same transactional id, or a transaction timeout, fences the old one.</summary>
public sealed class TransactionFencingTests : IAsyncLifetime
{
    private static readonly ErrorCode[] FencedCodes = [ErrorCode.Local_Fenced, ErrorCode.ProducerFenced, ErrorCode.InvalidProducerEpoch];
    private CoordinatorTestBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await CoordinatorTestBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task InitTransactions_SecondProducerSameId_FirstGetsFatalFencedErrorAndItsOpenTransactionIsAborted()
    {
        var topic = await _broker.CreateTopicAsync(1);
        var transactionalId = "txn-" + Guid.NewGuid();
        using var zombie = new ProducerBuilder<string, string>(_broker.TransactionalProducerConfig(transactionalId)).Build();
        zombie.InitTransactions(CoordinatorTestBroker.Timeout);
        zombie.BeginTransaction();
        zombie.Produce(topic, new Message<string, string> { Key = "k", Value = "zombie" });
        zombie.Flush(CoordinatorTestBroker.Timeout);

        using var successor = new ProducerBuilder<string, string>(_broker.TransactionalProducerConfig(transactionalId)).Build();
        successor.InitTransactions(CoordinatorTestBroker.Timeout);
        successor.BeginTransaction();
        successor.Produce(topic, new Message<string, string> { Key = "k", Value = "successor" });
        successor.CommitTransaction(CoordinatorTestBroker.Timeout);

        var error = Should.Throw<KafkaException>(() => zombie.CommitTransaction(CoordinatorTestBroker.Timeout)).Error;
        error.IsFatal.ShouldBeTrue();
        FencedCodes.ShouldContain(error.Code);

        _broker.WriteSentinels(topic, 1, "END");
        _broker.ReadUntilSentinels(topic, 1, "END", IsolationLevel.ReadCommitted).Select(r => r.Message.Value).ShouldBe(["successor"]);
    }

    [Fact]
    public async Task TransactionTimeout_OpenTransaction_AbortedAndProducerFenced()
    {
        var topic = await _broker.CreateTopicAsync(1);
        using var producer = new ProducerBuilder<string, string>(_broker.TransactionalProducerConfig("txn-" + Guid.NewGuid(), transactionTimeoutMs: 3000)).Build();
        producer.InitTransactions(CoordinatorTestBroker.Timeout);
        producer.BeginTransaction();
        producer.Produce(topic, new Message<string, string> { Key = "k", Value = "expired" });
        producer.Flush(CoordinatorTestBroker.Timeout);
        _broker.WriteSentinels(topic, 1, "END");

        // The sentinel becomes readable only once the coordinator has aborted the open transaction (the LSO moves).
        var visible = _broker.ReadUntilSentinels(topic, 1, "END", IsolationLevel.ReadCommitted);

        visible.ShouldBeEmpty();
        var error = Should.Throw<KafkaException>(() => producer.CommitTransaction(CoordinatorTestBroker.Timeout)).Error;
        FencedCodes.ShouldContain(error.Code);
    }
}
