using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Confluent.Kafka;
using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Hosting;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Runtime.Tests.State;
using StreamMasking.Runtime.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Windowing.Integration;

/// <summary>
/// A pipeline with windowed DP segments over GUID-named topics on the shared cluster. Input is produced to one input
/// partition in a fixed order with explicit event timestamps, and idle close is off unless a policy asks for it, so
/// window sealing is a pure function of the input and two runs can be compared byte for byte.
/// </summary>
internal sealed class DpPipelineFixture : IDisposable
{
    /// <summary>2024-01-01T00:00:00Z: event times are offsets from it.</summary>
    internal const long T0 = 1_704_067_200_000;

    private readonly KafkaCluster _cluster;

    internal DpPipelineFixture(KafkaCluster cluster, Func<string, string> policyYaml)
    {
        _cluster = cluster;
        Prefix = "dp" + Guid.NewGuid().ToString("N")[..12];
        Policy = ParsePolicy(policyYaml);
        Options = Build("i1", StateDirectory.Path, kafkaProperties: null);
    }

    internal string Prefix { get; }

    internal PrivacyPolicy Policy { get; }

    internal StreamMaskingOptions Options { get; }

    internal TempDirectory StateDirectory { get; } = new();

    internal CapturingLoggerProvider Logs { get; } = new();

    internal string InputTopic => Options.Pipeline.InputTopics[0];

    internal static byte[] MasterSecret => Enumerable.Repeat((byte)7, 32).ToArray();

    /// <summary>Another policy over this fixture's topics (a policy change between runs).</summary>
    internal PrivacyPolicy ParsePolicy(Func<string, string> policyYaml)
    {
        var result = PolicyLoader.Parse(policyYaml(Prefix + ".masked"), "dp-test-policy.yaml");
        result.IsValid.ShouldBeTrue(string.Join(Environment.NewLine, result.Diagnostics));
        return result.Policy!;
    }

    internal MaskingPipeline CreatePipeline(Action<string>? faultPoint = null, string? instanceId = null, string? stateDirectory = null,
        PrivacyPolicy? policy = null, IReadOnlyDictionary<string, string>? kafkaProperties = null, int streamThreads = 1)
    {
        var options = instanceId is null && stateDirectory is null && kafkaProperties is null && streamThreads == 1
            ? Options
            : Build(instanceId ?? Options.Pipeline.InstanceId, stateDirectory ?? Options.State.Directory, kafkaProperties);
        options.Pipeline.StreamThreads = streamThreads;
        var factory = Logs.CreateFactory();
        var clients = new KafkaClientFactory(options.Kafka, factory.CreateLogger("kafka"));
        return new MaskingPipeline(options, policy ?? Policy, MasterSecret, clients, factory, TimeProvider.System, faultPoint: faultPoint);
    }

    /// <summary>One JSON record at <paramref name="secondsAfterT0"/> of event time.</summary>
    internal static Message<byte[]?, byte[]?> Event(string type, double secondsAfterT0, JsonObject fields)
    {
        fields["type"] = type;
        return new Message<byte[]?, byte[]?>
        {
            Value = Encoding.UTF8.GetBytes(fields.ToJsonString()),
            Timestamp = new Timestamp(T0 + (long)(secondsAfterT0 * 1000), TimestampType.CreateTime),
        };
    }

    /// <summary>Produces <paramref name="messages"/> to input partition 0, in order.</summary>
    internal async Task ProduceAsync(IEnumerable<Message<byte[]?, byte[]?>> messages)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(_cluster.ProducerConfig(c => c.EnableIdempotence = true)).Build();
        var target = new TopicPartition(InputTopic, 0);
        foreach (var message in messages)
        {
            await producer.ProduceAsync(target, message);
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    /// <summary>Produces each message to its input partition, in order.</summary>
    internal async Task ProduceAsync(IEnumerable<(int Partition, Message<byte[]?, byte[]?> Message)> messages)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(_cluster.ProducerConfig(c => c.EnableIdempotence = true)).Build();
        foreach (var (partition, message) in messages)
        {
            await producer.ProduceAsync(new TopicPartition(InputTopic, partition), message);
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Runs until <paramref name="consumed"/> input records are committed, nothing is in flight and
    /// <paramref name="releases"/> releases plus suppressions are committed; then stops gracefully.
    /// </summary>
    internal static async Task<PipelineSnapshot> RunUntilAsync(MaskingPipeline pipeline, long consumed, long releases)
    {
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        await WaitAsync(pipeline, run, consumed, releases);
        await stop.CancelAsync();
        await run;
        return pipeline.Counters.Snapshot();
    }

    internal static async Task WaitAsync(MaskingPipeline pipeline, Task run, long consumed, long releases)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var s = pipeline.Counters.Snapshot();
            if (s.Consumed >= consumed && s.InFlight == 0 && s.Releases + s.Suppressions >= releases)
            {
                return;
            }

            if (run.IsCompleted)
            {
                await run;
                throw new InvalidOperationException($"The pipeline stopped early: {Describe(s)}");
            }

            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(3), $"not done: {Describe(s)}");
            await Task.Delay(100);
        }
    }

    internal static string Describe(PipelineSnapshot s) =>
        $"consumed {s.Consumed}, published {s.Published}, dead-lettered {s.DeadLettered}, dropped {s.Dropped}, in flight {s.InFlight}, "
        + $"sealed {s.WindowsSealed}, releases {s.Releases}, suppressions {s.Suppressions}, aborts {s.AbortedTransactions}";

    /// <summary>Committed aggregate releases, parsed, in topic order.</summary>
    internal List<JsonElement> Releases() => _cluster.DrainCommitted(Options.Aggregates.Topic, TimeSpan.FromSeconds(30))
        .Select(r => JsonDocument.Parse(r.Message.Value!).RootElement.Clone()).ToList();

    /// <summary>Committed aggregate release payloads as text, sorted (partition order is not global order).</summary>
    internal List<string> ReleaseTexts() => _cluster.DrainCommitted(Options.Aggregates.Topic, TimeSpan.FromSeconds(30))
        .Select(r => Encoding.UTF8.GetString(r.Message.Value!)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Committed audit events, parsed.</summary>
    internal List<JsonElement> AuditEvents() => _cluster.DrainCommitted(Options.Audit.Topic, TimeSpan.FromSeconds(30))
        .Select(r => JsonDocument.Parse(r.Message.Value!).RootElement.Clone()).ToList();

    internal IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> Masked(string segment) =>
        _cluster.DrainCommitted(Policy.FindSegment(segment)!.MaskedTopic, TimeSpan.FromSeconds(30));

    internal IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> DeadLetters() =>
        _cluster.DrainCommitted(Options.DeadLetters.Topic, TimeSpan.FromSeconds(30));

    public void Dispose() => StateDirectory.Dispose();

    // One transaction per 20 records and a 100 ms timer: windows seal and release quickly in small inputs.
    private StreamMaskingOptions Build(string instanceId, string stateDirectory, IReadOnlyDictionary<string, string>? kafkaProperties) =>
        TestOptions.For(_cluster.BootstrapServers, Prefix, "dp-test-policy.yaml", instanceId, batchMaxRecords: 20, stateDirectory,
            kafkaProperties);
}
