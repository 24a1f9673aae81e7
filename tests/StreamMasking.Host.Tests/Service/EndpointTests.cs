using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using StreamMasking.Host.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Host.Tests.Service;

/// <summary>The service's HTTP port while a workload with DP windows runs: metrics, health, readiness, the privacy map.</summary>
[Collection(KafkaCluster.Collection)]
public sealed partial class EndpointTests(KafkaCluster kafka)
{
    // Every metric of the operations contract (docs/operations.md) that this workload produces.
    private static readonly string[] ContractMetrics =
    [
        "records_consumed_total", "records_published_total", "records_dead_lettered_total", "records_dropped_total",
        "processing_duration_seconds", "end_to_end_latency_seconds", "transaction_commit_duration_seconds",
        "transactions_committed_total", "transactions_aborted_total", "consumer_lag_records", "consumer_lag_seconds",
        "rebalances_total", "assigned_partitions", "state_restore_remaining_records", "state_restore_records_total",
        "state_restore_duration_seconds", "windows_sealed_total", "windows_released_total", "releases_suppressed_total",
        "late_records_total", "budget_epsilon_spent", "budget_epsilon_cap", "budget_epsilon_remaining", "budget_delta_spent",
        "budget_delta_cap", "budget_delta_remaining", "budget_rho_spent", "budget_rho_cap", "budget_rho_remaining",
        "budget_exhausted", "audit_publish_failures_total", "policy_load_failures_total", "policy_info", "build_info",
        "poll_loop_last_progress_timestamp_seconds", "ready", "up",
    ];

    // Invented names and ids of the synthetic events: none may ever appear on an endpoint.
    private static readonly string[] RecordValues = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "P-0001", "P-0002"];

    [Fact]
    public async Task Endpoints_WhileWindowsRelease_ServeMetricsHealthReadinessAndThePrivacyMapWithoutRecordData()
    {
        using var service = ServiceUnderTest.Create(kafka.BootstrapServers);
        var directory = Directory.CreateTempSubdirectory("sm-endpoints-");
        service.Environment["STREAMMASKING__POLICY__FILE"] = TestPolicies.DemoWithEveryBudgetKind(directory.FullName);
        await service.StartAsync();
        await using var workload = Workload.Start(service);
        using var http = new HttpClient { BaseAddress = service.Address };

        var metrics = await Eventually.WaitAsync(async () =>
        {
            var text = await http.GetStringAsync("/metrics");
            return Released(text, "clinic-a.eu.visits") && Released(text, "clinic-b.eu.visits") && Released(text, "payments")
                   && text.Contains("streammasking_consumer_lag_records{", StringComparison.Ordinal) ? text : null;
        }, service.Process, "window releases in every budget currency and a lag reading");

        foreach (var name in ContractMetrics)
        {
            metrics.ShouldContain($"\nstreammasking_{name}", customMessage: $"streammasking_{name} has no series");
        }

        metrics.ShouldContain("streammasking_budget_delta_spent{segment=\"clinic-b.eu.visits\",scope=\"lifetime\"}");
        metrics.ShouldContain("streammasking_budget_rho_cap{segment=\"payments\",scope=\"lifetime\"} 0.08");
        metrics.ShouldContain("process_cpu_seconds_total");
        metrics.ShouldContain("dotnet_collection_count_total");
        await Eventually.WaitAsync(async () =>
        {
            using var ready = await http.GetAsync("/readyz");
            return ready.StatusCode == HttpStatusCode.OK ? "ready" : null;
        }, service.Process, "readiness");
        using (var live = await http.GetAsync("/healthz"))
        {
            live.StatusCode.ShouldBe(HttpStatusCode.OK);
            JsonDocument.Parse(await live.Content.ReadAsStringAsync()).RootElement.GetProperty("live").GetBoolean().ShouldBeTrue();
        }

        var privacy = await http.GetStringAsync("/privacy");
        using (var document = JsonDocument.Parse(privacy))
        {
            var segments = document.RootElement.GetProperty("segments").EnumerateArray().ToDictionary(s => s.GetProperty("segment").GetString()!);
            segments.Keys.ShouldBe(["clinic-a.eu.visits", "clinic-a.us.visits", "clinic-b.eu.visits", "clinic-b.us.visits", "payments"], ignoreOrder: true);
            var budget = segments["clinic-a.eu.visits"].GetProperty("budget");
            budget.GetProperty("lifetime").GetProperty("spent").GetProperty("epsilon").GetDouble().ShouldBeGreaterThan(0);
            budget.GetProperty("lifetime").GetProperty("cap").GetProperty("epsilon").GetDouble().ShouldBe(7.4);
            budget.GetProperty("releases").GetInt64().ShouldBeGreaterThan(0);
            segments["payments"].GetProperty("budget").GetProperty("lifetime").GetProperty("spent").GetProperty("rho").GetDouble().ShouldBeGreaterThan(0);
            segments["clinic-a.eu.visits"].GetProperty("fields").EnumerateArray()
                .ShouldContain(f => f.GetProperty("path").GetString() == "patient.name");
        }

        using var status = HostProcess.Start(null, "privacy", "status", "--url", service.Address!.ToString());
        (await status.WaitAsync(TimeSpan.FromMinutes(1))).ShouldBe(0, status.Error);
        status.Output.ShouldContain("segment");
        status.Output.ShouldMatch(@"clinic-a\.eu\.visits\s+lifetime\s+ε=");
        status.Output.ShouldMatch(@"payments\s+lifetime\s+ρ=");

        foreach (var body in new[] { metrics, privacy, status.Output })
        {
            foreach (var value in RecordValues)
            {
                body.ShouldNotContain(value);
            }

            RawSsnOrCard().IsMatch(body).ShouldBeFalse("a raw SSN or card number reached an endpoint");
        }

        directory.Delete(recursive: true);
    }

    private static bool Released(string metrics, string segment) =>
        Regex.Match(metrics, $"streammasking_windows_released_total{{segment=\"{Regex.Escape(segment)}\"}} (\\d+)") is { Success: true } m
        && long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0;

    [GeneratedRegex(@"\b\d{3}-\d{2}-\d{4}\b|\b4111\d{12}\b")]
    private static partial Regex RawSsnOrCard();
}
