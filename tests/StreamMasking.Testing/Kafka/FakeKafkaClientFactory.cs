using Confluent.Kafka;
using StreamMasking.Runtime.Kafka;

namespace StreamMasking.Testing.Kafka;

/// <summary>
/// A client factory for the runtime with no broker: consumers and producers work on one in-memory
/// <see cref="FakeBroker"/>, fail where <see cref="Failures"/> says, and are kept for the test to drive and inspect.
/// The idea of Streamiz's MockCluster, cut down to what the transactional loop needs. The configuration of
/// assign-only consumers (state restore) is not faked: those are real clients built from it.
/// </summary>
public sealed class FakeKafkaClientFactory : IKafkaClientFactory
{
    private readonly List<FakeConsumer> _consumers = [];
    private readonly List<FakeProducer> _producers = [];
    private readonly List<FakeAdminClient> _admins = [];

    /// <summary>The in-memory broker behind every client of this factory.</summary>
    public FakeBroker Broker { get; } = new();

    /// <summary>Scripted failures, counted over every client of this factory.</summary>
    public FailureScript Failures { get; } = new();

    /// <summary>
    /// Whether a consumer is assigned every partition of its topics when it subscribes (a group of one, the
    /// assignment applied in its first Consume). The default value is true; false leaves assignment to the test.
    /// </summary>
    public bool AssignOnSubscribe { get; init; } = true;

    /// <summary>The consumers created so far, in order.</summary>
    public IReadOnlyList<FakeConsumer> Consumers => Broker.Locked(() => _consumers.ToList());

    /// <summary>The producers created so far, in order.</summary>
    public IReadOnlyList<FakeProducer> Producers => Broker.Locked(() => _producers.ToList());

    /// <summary>The admin clients created so far, in order.</summary>
    public IReadOnlyList<FakeAdminClient> AdminClients => Broker.Locked(() => _admins.ToList());

    /// <summary>The consumer created <paramref name="index"/>-th, waiting up to <paramref name="timeout"/> for it.</summary>
    public FakeConsumer WaitForConsumer(TimeSpan timeout, int index = 0)
    {
        Broker.WaitUntil(() => _consumers.Count > index, timeout, $"consumer #{index} created");
        return Consumers[index];
    }

    IProducer<byte[]?, byte[]?> IKafkaClientFactory.CreateTransactionalProducer(string transactionalId, string clientId,
        TimeSpan transactionTimeout) => Add(new FakeProducer(Broker, Failures, clientId, transactionalId));

    IConsumer<byte[]?, byte[]?> IKafkaClientFactory.CreateConsumer(string groupId, string? groupInstanceId, string clientId,
        Action<ConsumerBuilder<byte[]?, byte[]?>> configure)
    {
        var handlers = new RebalanceHandlers();
        configure(handlers);
        var consumer = new FakeConsumer(Broker, Failures, handlers, groupId, clientId, AssignOnSubscribe);
        Broker.Locked(() =>
        {
            _consumers.Add(consumer);
            return true;
        });
        return consumer;
    }

    IProducer<byte[]?, byte[]?> IKafkaClientFactory.CreateProducer(string clientId) =>
        Add(new FakeProducer(Broker, Failures, clientId, transactionalId: null));

    IAdminClient IKafkaClientFactory.CreateAdminClient(string clientId)
    {
        var admin = new FakeAdminClient(Broker, Failures, clientId);
        Broker.Locked(() =>
        {
            _admins.Add(admin);
            return true;
        });
        return admin;
    }

    ConsumerConfig IKafkaClientFactory.BaseConsumerConfig(string clientId) =>
        throw new NotSupportedException($"{nameof(FakeKafkaClientFactory)}.{nameof(IKafkaClientFactory.BaseConsumerConfig)} is not implemented: assign-only consumers built from it would be real clients.");

    private FakeProducer Add(FakeProducer producer)
    {
        Broker.Locked(() =>
        {
            _producers.Add(producer);
            return true;
        });
        return producer;
    }
}
