using System.Text.RegularExpressions;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.Release;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Metrics;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Metrics;

public sealed partial class PipelineMetricsTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    [Fact]
    public async Task SegmentLabel_TenThousandSegments_StaysBoundedWithTheRestAsOther()
    {
        var metrics = new PipelineMetrics(new MetricsOptions { MaxSegmentLabels = 100 }, _time);
        IPipelineObserver observer = metrics;
        metrics.RegisterStages(["mask"]);
        var tally = new TransactionTally();
        for (var i = 0; i < 10_000; i++)
        {
            var segment = $"segment-{i}";
            tally.Add(OutputKind.Published, segment, null);
            tally.AddSealed(segment, 1);
            tally.AddLate(segment);
            tally.AddRelease(segment);
            tally.AddSuppression(segment, "lifetime_cap_exceeded");
        }

        observer.OnCommitted("mask", tally, TimeSpan.FromMilliseconds(5));

        var text = await ExportAsync(metrics);
        foreach (var name in new[] { "records_published_total", "windows_sealed_total", "late_records_total", "windows_released_total", "releases_suppressed_total" })
        {
            var labels = Regex.Matches(text, $@"^streammasking_{name}\{{[^}}]*segment=""([^""]+)""", RegexOptions.Multiline)
                .Select(m => m.Groups[1].Value).Distinct().ToList();
            labels.Count.ShouldBe(101, name);
            labels.ShouldContain("other");
            Sum(text, name).ShouldBe(10_000, $"{name}: every event is counted, under its own segment or under other");
        }
    }

    [Fact]
    public async Task OnAborted_TransactionWithAuditEvents_CountsThemAsPublishFailuresAndNothingAsConsumed()
    {
        var metrics = new PipelineMetrics(new MetricsOptions(), _time);
        IPipelineObserver observer = metrics;
        metrics.RegisterStages(["mask"]);
        var tally = new TransactionTally();
        tally.AddConsumed();
        tally.Add(OutputKind.Audit, "payments", null);
        tally.Add(OutputKind.Audit, "payments", null);

        observer.OnAborted("mask", tally);

        var text = await ExportAsync(metrics);
        text.ShouldContain("streammasking_audit_publish_failures_total 2");
        text.ShouldContain("streammasking_transactions_aborted_total{stage=\"mask\"} 1");
        text.ShouldContain("streammasking_records_consumed_total{stage=\"mask\"} 0");
    }

    [Fact]
    public async Task PolicyLoaded_WindowedSegment_AZeroSeriesForEverySuppressionReason()
    {
        var metrics = new PipelineMetrics(new MetricsOptions(), _time);
        metrics.RegisterStages(["mask"]);
        metrics.PolicyLoaded(TestPolicies.Valid("""
            version: "1"
            segments:
              - name: w
                match: { all: [] }
                fields: { id: keep }
                window: { size: 1m, grace: 5s }
                budget: { perWindow: { epsilon: 2 }, lifetime: { epsilon: 20 } }
                aggregates: [{ name: n, kind: count, epsilon: 0.5 }]
            """), "0123456789abcdef");

        var text = await ExportAsync(metrics);
        // Every reason a release can be suppressed for, from the reasons themselves: the first suppression of a kind
        // is then an increase from 0 that rate() and alerts see, not a series that appears from nowhere.
        string[] reasons = [.. Enum.GetValues<SuppressionReason>().Where(r => r != SuppressionReason.None)
            .Select(StreamMasking.Runtime.Audit.AuditCodes.SuppressionCode), "policy_changed"];
        reasons.ShouldContain("label_reuse_refused");
        reasons.ShouldContain("continual_state_lost");
        foreach (var reason in reasons)
        {
            text.ShouldContain($"streammasking_releases_suppressed_total{{segment=\"w\",reason=\"{reason}\"}} 0");
        }
    }

    [Fact]
    public void Readiness_WaitsForPolicyAssignmentAndRestore()
    {
        var metrics = new PipelineMetrics(new MetricsOptions(), _time);
        IPipelineObserver observer = metrics;
        metrics.Readiness().Ok.ShouldBeFalse();
        metrics.RegisterStages(["route", "mask"]);
        metrics.PolicyLoaded(TestPolicies.ThreeSegments("metrics"), "0123456789abcdef");
        observer.OnRebalanced("route", RebalanceKind.Assigned, 2);

        metrics.Readiness().Reasons.ShouldBe(["stage mask: no partitions assigned yet"]);

        observer.OnRebalanced("mask", RebalanceKind.Assigned, 2);
        observer.OnRestoreStarted("dp-state", 1, 0, 500);
        observer.OnBatchRestored("dp-state", 1, 200, 200);
        metrics.Readiness().Reasons.ShouldBe(["store dp-state[1]: restoring, 300 records remaining"]);

        observer.OnRestoreCompleted(new StoreRestoreResult("dp-state", 1, 0, 500, 500, TimeSpan.FromSeconds(2), FromScratch: true));
        var ready = metrics.Readiness();
        ready.Ok.ShouldBeTrue(string.Join(';', ready.Reasons));
        ready.AssignedPartitions.ShouldBe(new Dictionary<string, int> { ["mask"] = 2, ["route"] = 2 }, ignoreOrder: true);

        metrics.InputTopicsMissing(["visits"], ["visits"]);
        metrics.Readiness().Reasons.ShouldBe(["input topic visits does not exist (waiting for it)"]);
    }

    [Fact]
    public void Liveness_StageWithoutProgressBeyondTheBound_IsNotLive()
    {
        var metrics = new PipelineMetrics(new MetricsOptions(), _time);
        IPipelineObserver observer = metrics;
        metrics.RegisterStages(["route", "mask"]);
        _time.Advance(TimeSpan.FromSeconds(50));
        observer.OnPolled("route");
        _time.Advance(TimeSpan.FromSeconds(20));

        var report = metrics.Liveness(TimeSpan.FromMinutes(1));

        report.Ok.ShouldBeFalse();
        report.Reasons.ShouldBe(["stage mask: no poll-loop progress for 70 s (bound 60 s)"]);
        observer.OnBatchRestored("dp-state", 0, 10, 10); // a restore inside the mask stage's callback is progress
        metrics.Liveness(TimeSpan.FromMinutes(1)).Ok.ShouldBeTrue();
    }

    [Fact]
    public async Task OnLedgerCommitted_PureLedger_ExportsSpentCapRemainingPerScopeAndTimeToExhaustion()
    {
        var metrics = new PipelineMetrics(new MetricsOptions(), _time);
        IPipelineObserver observer = metrics;
        var ledger = new BudgetLedger(BasicCompositionAccountant.Instance, PrivacyCost.Pure(new Epsilon(1)), PrivacyCost.Pure(new Epsilon(10)), 64);
        ledger.TryDebit(new ReleaseKey(7, "count"), PrivacyCost.Pure(new Epsilon(0.5))).Outcome.ShouldBe(DebitOutcome.Debited);
        observer.OnLedgerCommitted("visits", ledger);
        _time.Advance(TimeSpan.FromSeconds(10));
        ledger.TryDebit(new ReleaseKey(8, "count"), PrivacyCost.Pure(new Epsilon(0.5))).Outcome.ShouldBe(DebitOutcome.Debited);
        observer.OnLedgerCommitted("visits", ledger);

        var text = await ExportAsync(metrics);
        text.ShouldContain("streammasking_budget_epsilon_spent{segment=\"visits\",scope=\"lifetime\"} 1");
        text.ShouldContain("streammasking_budget_epsilon_cap{segment=\"visits\",scope=\"lifetime\"} 10");
        text.ShouldContain("streammasking_budget_epsilon_remaining{segment=\"visits\",scope=\"lifetime\"} 9");
        text.ShouldContain("streammasking_budget_epsilon_spent{segment=\"visits\",scope=\"window\"} 0.5");
        text.ShouldContain("streammasking_budget_epsilon_remaining{segment=\"visits\",scope=\"window\"} 0.5");
        text.ShouldContain("streammasking_budget_exhausted{segment=\"visits\"} 0");
        text.ShouldNotContain("streammasking_budget_rho_spent{", customMessage: "a pure-ε ledger has no ρ series");
        var status = metrics.BudgetStatus()["visits"];
        status.Window!.Window.ShouldBe(8);
        // 0.5 ε per 10 s observed; 9 ε remain: 180 s.
        status.SecondsToExhaustion!.Value.ShouldBe(180, tolerance: 1e-9);
    }

    [Fact]
    public void ConsumerLag_LibrdkafkaStatistics_SumsAssignedPartitionsPerTopic()
    {
        const string json = """
            {"name":"c","topics":{
              "visits":{"partitions":{
                "0":{"fetch_state":"active","consumer_lag":5},
                "1":{"fetch_state":"active","consumer_lag":-1},
                "2":{"fetch_state":"none","consumer_lag":100},
                "-1":{"fetch_state":"none","consumer_lag":-1}}},
              "other":{"partitions":{"0":{"fetch_state":"none","consumer_lag":3}}}}}
            """;

        ConsumerLag.PerTopic(json).ShouldBe(new Dictionary<string, long> { ["visits"] = 5 });
        ConsumerLag.PerTopic("not json").ShouldBeEmpty();
    }

    [Fact]
    public async Task OnCommitted_RecordTimestamps_ObserveEndToEndLatencyPerClock()
    {
        var metrics = new PipelineMetrics(new MetricsOptions(), _time);
        IPipelineObserver observer = metrics;
        metrics.RegisterStages(["mask"]);
        var now = _time.GetUtcNow();
        observer.OnProcessed("mask", new Timestamp(now.AddSeconds(-2)), TimeSpan.FromMilliseconds(1));
        observer.OnProcessed("mask", new Timestamp(now.AddSeconds(-3).UtcDateTime, TimestampType.LogAppendTime), TimeSpan.FromMilliseconds(1));

        observer.OnCommitted("mask", new TransactionTally(), TimeSpan.FromMilliseconds(3));

        var text = await ExportAsync(metrics);
        text.ShouldContain("streammasking_end_to_end_latency_seconds_sum{stage=\"mask\",clock=\"event_time\"} 2");
        text.ShouldContain("streammasking_end_to_end_latency_seconds_sum{stage=\"mask\",clock=\"append_time\"} 3");
        text.ShouldContain("streammasking_processing_duration_seconds_count{stage=\"mask\"} 2");
        text.ShouldContain("streammasking_transactions_committed_total{stage=\"mask\"} 1");
    }

    [Fact]
    public async Task UnitLifetimeExhausted_CountedPerSegmentOnlyWhenCommitted()
    {
        var metrics = new PipelineMetrics(new MetricsOptions(), _time);
        IPipelineObserver observer = metrics;
        metrics.RegisterStages(["mask"]);
        var committed = new TransactionTally();
        committed.AddUnitLifetimeExhausted("visits");
        committed.AddUnitLifetimeExhausted("visits");
        var aborted = new TransactionTally();
        aborted.AddUnitLifetimeExhausted("visits");

        observer.OnCommitted("mask", committed, TimeSpan.FromMilliseconds(5));
        observer.OnAborted("mask", aborted);

        var text = await ExportAsync(metrics);
        text.ShouldContain("streammasking_unit_lifetime_exhausted_total{segment=\"visits\"} 2");
    }

    private static async Task<string> ExportAsync(PipelineMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.ExportAsync(stream, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double Sum(string text, string name) =>
        Regex.Matches(text, $@"^streammasking_{name}\{{[^}}]*\}} (\S+)$", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
}
