using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Segmentation;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.DeadLetters;
using StreamMasking.Runtime.Stages;
using StreamMasking.Runtime.Tests.Audit;
using StreamMasking.Runtime.Tests.Processing;
using StreamMasking.Testing.Kafka;

namespace StreamMasking.Runtime.Tests.Stages;

/// <summary>Stage mask audits a policy too large for one record in parts, all in the stage's first transaction.</summary>
public sealed class MaskProcessorPolicyLoadedTests : IDisposable
{
    private const string AuditTopic = "audit";

    private static readonly PrivacyPolicy Policy = AuditFixtures.ManySegments(10_000, nameLength: 40);

    private readonly TokenKeyring _keyring = new(Enumerable.Repeat((byte)3, 32).ToArray());

    [Fact]
    public async Task Punctuate_PolicyOfManyParts_SendsEveryPartInOneCommittedTransaction()
    {
        var parts = ExpectedParts();
        parts.ShouldBeGreaterThan(1);
        using var loop = new LoopHarness(batchMaxRecords: 10, processor: Mask());
        loop.Start();

        // The parts are sent after the transaction's start time is taken: only then may time move.
        loop.WaitUntil(() => loop.Clients.Producers.Count == 1 && loop.Producer.Produced.Count == parts, "policy-loaded parts sent");
        loop.Time.Advance(loop.Settings.BatchMaxInterval);
        loop.WaitForCommittedOutputs(parts);
        await loop.StopAsync();

        var withPolicy = loop.Broker.Transactions.Where(t => t.Outputs.Any(IsPolicyLoaded)).ToList();
        var transaction = withPolicy.ShouldHaveSingleItem();
        transaction.Outcome.ShouldBe(FakeTransactionOutcome.Committed);
        AssertWholeLoad(transaction.Outputs, parts);
        loop.Producer.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Punctuate_TransactionWithThePartsAborted_SendsEveryPartAgainInTheNextOne()
    {
        var parts = ExpectedParts();
        var clients = new FakeKafkaClientFactory();
        clients.Failures.Fail(nameof(IProducer<byte[], byte[]>.CommitTransaction), onCall: 1, KafkaFailures.Abortable(ErrorCode.InvalidTxnState));
        using var loop = new LoopHarness(batchMaxRecords: 10, processor: Mask(), clients: clients);
        loop.Start();

        loop.WaitUntil(() => loop.Clients.Producers.Count == 1 && loop.Producer.Produced.Count == parts, "first parts sent");
        loop.Time.Advance(loop.Settings.BatchMaxInterval);
        loop.WaitUntil(() => loop.Producer.Produced.Count == 2 * parts, "parts sent again");
        loop.Time.Advance(loop.Settings.BatchMaxInterval);
        loop.WaitForCommittedOutputs(parts);
        await loop.StopAsync();

        loop.Outcomes.Take(2).ShouldBe([FakeTransactionOutcome.Aborted, FakeTransactionOutcome.Committed]);
        AssertWholeLoad(loop.Broker.Transactions[0].Outputs, parts);
        AssertWholeLoad(loop.Broker.Transactions[1].Outputs, parts);
        loop.Broker.CommittedOutputs.Count(IsPolicyLoaded).ShouldBe(parts);
        // The redone load is a new load: readers group parts by load id, and the aborted ones are never read.
        LoadId(loop.Broker.Transactions[1].Outputs).ShouldNotBe(LoadId(loop.Broker.Transactions[0].Outputs));
    }

    public void Dispose() => _keyring.Dispose();

    private static int ExpectedParts() => new AuditEventWriter(AuditTopic, "test", TimeProvider.System).PolicyLoaded(Policy, "mask").Count;

    private static string LoadId(IReadOnlyList<FakeOutput> outputs)
    {
        using var json = JsonDocument.Parse(outputs.First(IsPolicyLoaded).ValueText);
        return json.RootElement.GetProperty("data").GetProperty("loadId").GetString()!;
    }

    private static bool IsPolicyLoaded(FakeOutput output)
    {
        using var json = JsonDocument.Parse(output.ValueText);
        return json.RootElement.GetProperty("type").GetString() == AuditEventTypes.PolicyLoaded;
    }

    // Parts 1..n of one load id, and every segment once in declared order.
    private static void AssertWholeLoad(IReadOnlyList<FakeOutput> outputs, int parts)
    {
        var data = outputs.Where(IsPolicyLoaded)
            .Select(o => JsonDocument.Parse(o.ValueText).RootElement.GetProperty("data").Clone())
            .ToList();
        outputs.ShouldAllBe(o => o.Topic == AuditTopic);
        data.Select(d => d.GetProperty("part").GetInt32()).ShouldBe(Enumerable.Range(1, parts));
        data.ShouldAllBe(d => d.GetProperty("parts").GetInt32() == parts);
        data.Select(d => d.GetProperty("loadId").GetString()).Distinct().Count().ShouldBe(1);
        data.SelectMany(d => d.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("name").GetString()))
            .ShouldBe(Policy.Segments.Select(s => s.Name));
    }

    private MaskProcessor Mask() =>
        new(Policy, new SegmentRouter(Policy), new RecordMasker(Policy, _keyring),
            new DeadLetterFactory(new DeadLetterOptions { Topic = "dlq" }, Policy.Version, TimeProvider.System, NullLogger.Instance),
            trustSourceHeaders: true, NullLogger.Instance, new AuditEventWriter(AuditTopic, "test", TimeProvider.System));
}
