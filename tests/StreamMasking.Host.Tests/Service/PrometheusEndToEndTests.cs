using StreamMasking.Host.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Host.Tests.Service;

/// <summary>
/// The dashboard and the alert rules checked against a real Prometheus scraping the running service while a workload
/// with DP windows flows: every PromQL expression of both files is evaluated through Prometheus' HTTP API.
/// </summary>
/// <remarks>
/// Convention: every dashboard expression and every recording rule must return at least one series. Alert rules must
/// parse and evaluate, and every <c>streammasking_*</c> metric they read must exist in Prometheus; since the workload
/// is healthy (no malformed or unroutable events, nothing down, nothing lagging for long) every alert must be quiet
/// (empty result), except those in <see cref="MayFire"/>, whose state depends on the policy's budgets (the demo
/// policy's lifetime budgets are meant to run out within minutes). Without prometheus the test is skipped on a
/// workstation, and fails when CI=true.
/// </remarks>
[Collection(KafkaCluster.Collection)]
public sealed class PrometheusEndToEndTests(KafkaCluster kafka)
{
    /// <summary>Alerts that may fire under the workload: budget alerts (matched by name, case-insensitive).</summary>
    private static bool MayFire(string alert) => alert.Contains("budget", StringComparison.OrdinalIgnoreCase);

    [SkippableFact]
    public async Task DashboardAndRules_AgainstARealPrometheus_EveryExpressionEvaluatesAsExpected()
    {
        var root = RepositoryRoot.Directory;
        var dashboardFile = Path.Combine(root, PromQlSources.DashboardPath);
        var rulesFile = Path.Combine(root, PromQlSources.RulesPath);
        File.Exists(dashboardFile).ShouldBeTrue($"{PromQlSources.DashboardPath} is missing");
        File.Exists(rulesFile).ShouldBeTrue($"{PromQlSources.RulesPath} is missing");
        var expressions = PromQlSources.Dashboard(dashboardFile).Concat(PromQlSources.Rules(rulesFile)).ToList();
        expressions.ShouldNotBeEmpty();
        var binary = PrometheusServer.Find();
        Skip.If(MustSkip(binary, Environment.GetEnvironmentVariable("CI")), "prometheus is not installed (scripts/install-test-tools.sh installs it)");

        using var service = ServiceUnderTest.Create(kafka.BootstrapServers);
        var directory = Directory.CreateTempSubdirectory("sm-prom-");
        service.Environment["STREAMMASKING__POLICY__FILE"] = TestPolicies.DemoWithEveryBudgetKind(directory.FullName);
        await service.StartAsync();
        await using var workload = Workload.Start(service, clean: true);
        using var prometheus = await PrometheusServer.StartAsync(binary!, service.Address!, rulesFile);

        // Enough history for every range function: releases scraped, and a minute of samples.
        await Eventually.WaitAsync(async () =>
        {
            var released = await prometheus.QueryAsync("sum(streammasking_windows_released_total) > 0 and sum(streammasking_budget_rho_spent) > 0");
            var history = await prometheus.QueryAsync("count_over_time(streammasking_up[5m]) >= 60");
            return released.Series > 0 && history.Series > 0 ? "scraped" : null;
        }, service.Process, "a minute of scrapes with releases", TimeSpan.FromMinutes(5));

        // Series that appear later (lag statistics, restore gauges) get a bounded grace; failures are the last round's.
        var deadline = TimeProvider.System.GetTimestamp();
        var failures = await EvaluateAsync(prometheus, expressions);
        while (failures.Count > 0 && TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromMinutes(2))
        {
            service.Process!.HasExited.ShouldBeFalse(service.Process.Error);
            await Task.Delay(TimeSpan.FromSeconds(5));
            failures = await EvaluateAsync(prometheus, expressions);
        }

        failures.ShouldBeEmpty($"{failures.Count} of {expressions.Count} expressions:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
        directory.Delete(recursive: true);
    }

    [Theory]
    [InlineData(null, "true", false, true)]
    [InlineData(null, null, true, false)]
    [InlineData(null, "false", true, false)]
    [InlineData("/usr/bin/prometheus", "true", false, false)]
    [InlineData("/usr/bin/prometheus", null, false, false)]
    public void MustSkip_OnlyWithoutPrometheusAndOutsideCi(string? binary, string? ci, bool skip, bool fails)
    {
        if (fails)
        {
            Should.Throw<ShouldAssertException>(() => MustSkip(binary, ci));
        }
        else
        {
            MustSkip(binary, ci).ShouldBe(skip);
        }
    }

    // Skipped only when prometheus is genuinely absent and this is not CI; in CI a missing prometheus fails.
    private static bool MustSkip(string? binary, string? ci)
    {
        if (binary is not null)
        {
            return false;
        }

        (ci == "true").ShouldBeFalse("prometheus is not installed but CI=true (scripts/install-test-tools.sh installs it)");
        return true;
    }

    private static async Task<List<string>> EvaluateAsync(PrometheusServer prometheus, IReadOnlyList<PromQlExpression> expressions)
    {
        var failures = new List<string>();
        var names = await prometheus.MetricNamesAsync();
        foreach (var e in expressions)
        {
            var (success, series, error) = await prometheus.QueryAsync(e.Expression);
            if (!success)
            {
                failures.Add($"{e.Source}: does not evaluate ({error}): {e.Expression}");
                continue;
            }

            foreach (var name in PromQlSources.MetricNames(e.Expression).Where(n => !names.Contains(n) && !names.Contains(n + "_bucket")))
            {
                failures.Add($"{e.Source}: reads {name}, which the service does not export: {e.Expression}");
            }

            if (e.Alert is null && series == 0)
            {
                failures.Add($"{e.Source}: returns no series: {e.Expression}");
            }
            else if (e.Alert is { } alert && !MayFire(alert) && series > 0)
            {
                failures.Add($"{e.Source}: fires on a healthy service ({series} series): {e.Expression}");
            }
        }

        return failures;
    }
}
