using Confluent.Kafka;

namespace StreamMasking.Testing.Kafka;

/// <summary>
/// An in-memory producer over a <see cref="FakeBroker"/>. A transactional one records every transaction
/// (<see cref="FakeBroker.Transactions"/>): outputs become visible and offsets committed only on CommitTransaction.
/// Calls out of the transactional state machine fail like librdkafka's (Local_State) and are listed in
/// <see cref="Violations"/>. After a scripted fatal error every later call fails with it, as in a real fenced or
/// failed producer; after a scripted abortable error every call but AbortTransaction fails with it until the abort. Delivery handlers run at once, inside Produce. Members the runtime does not use throw
/// <see cref="NotSupportedException"/>.
/// </summary>
public sealed class FakeProducer : IProducer<byte[]?, byte[]?>
{
    private readonly FakeBroker _broker;
    private readonly FailureScript _failures;
    private readonly string? _transactionalId;
    private readonly List<string> _violations = [];
    private readonly List<FakeOutput> _produced = [];
    private readonly List<FakeCall> _calls = [];
    private FakeTransaction? _open;
    private bool _initialised;
    private bool _disposed;
    private KafkaException? _fatal;
    private KafkaException? _abortRequired;

    internal FakeProducer(FakeBroker broker, FailureScript failures, string clientId, string? transactionalId)
    {
        _broker = broker;
        _failures = failures;
        _transactionalId = transactionalId;
        Name = clientId;
    }

    /// <summary>Client id the producer was created with.</summary>
    public string Name { get; }

    /// <summary>The transactional id, null for a plain producer.</summary>
    public string? TransactionalId => _transactionalId;

    /// <summary>True once <see cref="Dispose"/> ran.</summary>
    public bool IsDisposed => _broker.Locked(() => _disposed);

    /// <summary>Calls made out of the transactional state machine (each also failed with Local_State).</summary>
    public IReadOnlyList<string> Violations => _broker.Locked(() => _violations.ToList());

    /// <summary>Every call of the transactional API, Produce and Flush, failed ones included, in order.</summary>
    public IReadOnlyList<FakeCall> Calls => _broker.Locked(() => _calls.ToList());

    /// <summary>Every record produced, committed or not, in order.</summary>
    public IReadOnlyList<FakeOutput> Produced => _broker.Locked(() => _produced.ToList());

    public void InitTransactions(TimeSpan timeout) => Transactional(nameof(InitTransactions), () =>
    {
        Require(_transactionalId is not null && _open is null, "InitTransactions needs a transactional producer with no open transaction");
        _initialised = true;
    });

    public void BeginTransaction() => Transactional(nameof(BeginTransaction), () =>
    {
        Require(_initialised && _open is null, "BeginTransaction needs InitTransactions and no open transaction");
        _open = _broker.Begin(_transactionalId!);
    });

    public void Produce(string topic, Message<byte[]?, byte[]?> message, Action<DeliveryReport<byte[]?, byte[]?>>? deliveryHandler = null)
    {
        var partition = Transactional(nameof(Produce), () =>
        {
            Require(_transactionalId is null || _open is not null, "Produce on a transactional producer needs an open transaction");
            var output = new FakeOutput(topic, message);
            _produced.Add(output);
            if (_open is not null)
            {
                _open.AddOutput(output);
            }
            else
            {
                _broker.AddPlain(output);
            }

            return new TopicPartitionOffset(topic, Partition.Any, Offset.Unset);
        });
        deliveryHandler?.Invoke(new DeliveryReport<byte[]?, byte[]?>
        {
            TopicPartitionOffset = partition,
            Message = message,
            Status = PersistenceStatus.Persisted,
            Error = new Error(ErrorCode.NoError),
        });
    }

    public void Produce(TopicPartition topicPartition, Message<byte[]?, byte[]?> message,
        Action<DeliveryReport<byte[]?, byte[]?>>? deliveryHandler = null) => Produce(topicPartition.Topic, message, deliveryHandler);

    public Task<DeliveryResult<byte[]?, byte[]?>> ProduceAsync(string topic, Message<byte[]?, byte[]?> message,
        CancellationToken cancellationToken = default)
    {
        DeliveryResult<byte[]?, byte[]?>? result = null;
        Produce(topic, message, r => result = r);
        return Task.FromResult(result!);
    }

    public Task<DeliveryResult<byte[]?, byte[]?>> ProduceAsync(TopicPartition topicPartition, Message<byte[]?, byte[]?> message,
        CancellationToken cancellationToken = default) => ProduceAsync(topicPartition.Topic, message, cancellationToken);

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout)
    {
        var list = offsets.ToList();
        Transactional(nameof(SendOffsetsToTransaction), () =>
        {
            Require(_open is not null, "SendOffsetsToTransaction needs an open transaction");
            if (groupMetadata is not FakeGroupMetadata group)
            {
                throw new ArgumentException("Group metadata must come from a fake consumer.", nameof(groupMetadata));
            }

            _open!.AddOffsets(group.GroupId, list);
        });
    }

    public void CommitTransaction(TimeSpan timeout) => Transactional(nameof(CommitTransaction), () =>
    {
        Require(_open is not null, "CommitTransaction needs an open transaction");
        _broker.Complete(_open!, FakeTransactionOutcome.Committed);
        _open = null;
    });

    public void CommitTransaction() => CommitTransaction(Timeout.InfiniteTimeSpan);

    public void AbortTransaction(TimeSpan timeout) => Transactional(nameof(AbortTransaction), () =>
    {
        Require(_open is not null, "AbortTransaction needs an open transaction");
        _broker.Complete(_open!, FakeTransactionOutcome.Aborted);
        _open = null;
        _abortRequired = null;
    });

    public void AbortTransaction() => AbortTransaction(Timeout.InfiniteTimeSpan);

    public int Flush(TimeSpan timeout)
    {
        Transactional(nameof(Flush), () => { });
        return 0;
    }

    public void Flush(CancellationToken cancellationToken = default) => Flush(Timeout.InfiniteTimeSpan);

    public int Poll(TimeSpan timeout) => 0;

    public void Dispose() => _broker.Locked(() => _disposed = true);

    public Handle Handle => throw Unsupported();

    public int AddBrokers(string brokers) => throw Unsupported();

    public void SetSaslCredentials(string username, string password) => throw Unsupported();

    private static NotSupportedException Unsupported([System.Runtime.CompilerServices.CallerMemberName] string member = "") =>
        new($"{nameof(FakeProducer)}.{member} is not implemented by the fake producer.");

    private void Transactional(string method, Action action) => Transactional(method, () =>
    {
        action();
        return true;
    });

    // One call, listed in Calls with its outcome.
    private T Transactional<T>(string method, Func<T> action)
    {
        try
        {
            var result = Apply(method, action);
            _broker.Locked(() => { _calls.Add(new FakeCall(method, null)); return true; });
            return result;
        }
        catch (Exception e)
        {
            _broker.Locked(() => { _calls.Add(new FakeCall(method, e)); return true; });
            throw;
        }
    }

    // Refused when disposed, failed fatally or awaiting an abort; counted and maybe failed by the script; else
    // applied under the broker's lock. Scripted fatal and abortable errors stick, as they do in librdkafka.
    private T Apply<T>(string method, Func<T> action)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var (fatal, abortRequired) = _broker.Locked(() => (_fatal, _abortRequired));
        if (fatal is not null)
        {
            throw new KafkaException(fatal.Error);
        }

        if (abortRequired is not null && method != nameof(AbortTransaction))
        {
            throw new KafkaTxnRequiresAbortException(abortRequired.Error);
        }

        try
        {
            _failures.Call(method);
        }
        catch (KafkaException e) when (e.Error.IsFatal)
        {
            _broker.Locked(() => _fatal = e);
            throw;
        }
        catch (KafkaTxnRequiresAbortException e)
        {
            _broker.Locked(() => _abortRequired = _open is null ? null : e);
            throw;
        }

        return _broker.Locked(action);
    }

    private void Require(bool condition, string violation)
    {
        if (!condition)
        {
            _violations.Add(violation);
            throw new KafkaException(new Error(ErrorCode.Local_State, violation));
        }
    }
}
