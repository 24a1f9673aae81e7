using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;
using StreamMasking.Testing.Kafka;

namespace StreamMasking.Runtime.Tests.Processing;

/// <summary>
/// One <see cref="TransactionalLoop"/> over the fake Kafka clients, with an <see cref="EchoProcessor"/> on topic
/// "in" (or another processor). The clock moves only when the test advances <see cref="Time"/>, so transactions
/// commit by record count (or on a rebalance, a stop, or an advance past the batch interval).
/// </summary>
internal sealed class LoopHarness : IDisposable
{
    internal const string InputTopic = "in";
    internal const string GroupId = "stage-group";

    /// <summary>The longest any wait of a test takes; reached only when the test fails.</summary>
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly IRecordProcessor _processor;
    private readonly RepartitionPurger? _purger;
    private Task? _run;

    internal LoopHarness(int batchMaxRecords, int partitions = 1, IRecordProcessor? processor = null,
        FakeKafkaClientFactory? clients = null, RepartitionPurger? purger = null)
    {
        _processor = processor ?? Processor;
        _purger = purger;
        Clients = clients ?? new FakeKafkaClientFactory();
        Settings = new StageSettings("mask", [InputTopic], GroupId, "stage-0", "stage-tx-0", IsEntryStage: false,
            BatchMaxRecords: batchMaxRecords, BatchMaxInterval: TimeSpan.FromHours(1),
            ConsumeTimeout: TimeSpan.FromMilliseconds(5), TransactionTimeout: TimeSpan.FromSeconds(10),
            OperationTimeout: TimeSpan.FromSeconds(1), RetryBackoff: TimeSpan.Zero);
        Clients.Broker.CreateTopic(InputTopic, partitions);
    }

    internal StageSettings Settings { get; }

    internal FakeKafkaClientFactory Clients { get; }

    internal FakeBroker Broker => Clients.Broker;

    internal EchoProcessor Processor { get; } = new();

    internal FakeTimeProvider Time { get; } = new();

    internal Task Run => _run ?? throw new InvalidOperationException("Not started.");

    internal FakeConsumer Consumer => Clients.WaitForConsumer(Patience);

    internal FakeProducer Producer => Clients.Producers.Single();

    internal void Start()
    {
        var loop = new TransactionalLoop(Settings, Clients, _processor, new PipelineCounters(), NullLogger.Instance, Time,
            purger: _purger);
        _run = loop.RunAsync(_stop.Token);
    }

    internal void Feed(int partition, params string[] values) => Broker.Feed(InputTopic, partition, values);

    internal void WaitUntil(Func<bool> condition, string what) => Broker.WaitUntil(
        () => condition() || Run.IsCompleted, Patience, what);

    internal void WaitForSeen(int count) => WaitUntil(() => Processor.Seen.Count >= count, $"{count} records processed");

    internal void WaitForCommittedOutputs(int count) =>
        WaitUntil(() => Broker.CommittedOutputs.Count >= count, $"{count} outputs committed");

    /// <summary>Cancels the loop (graceful stop) and waits for it; a failure of the loop is thrown.</summary>
    internal async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(Patience);
    }

    internal IReadOnlyList<string> CommittedValues => [.. Broker.CommittedOutputs.Select(o => o.ValueText)];

    internal IReadOnlyList<FakeTransactionOutcome> Outcomes => [.. Broker.Transactions.Select(t => t.Outcome)];

    public void Dispose()
    {
        _stop.Cancel();
        // Waits without observing the outcome: a test that expects the loop to fail has asserted it already.
        (_run as IAsyncResult)?.AsyncWaitHandle.WaitOne(Patience);
        _stop.Dispose();
    }
}
