using System.Text;
using System.Text.Json.Nodes;
using StreamMasking.Deploy.Tests.Support;

namespace StreamMasking.Deploy.Tests.Dashboard;

public sealed class DashboardTests
{
    private static readonly string[] Rows =
    [
        "Overview", "Throughput", "Lag", "Latency", "Transactions and rebalances", "Errors and dead letters",
        "Windows and late data", "Privacy budget", "Runtime",
    ];

    [Fact]
    public void Dashboard_Rows_AreTheNineOfTheOperationsContractInOrder()
    {
        var rows = Panels().Where(p => (string?)p["type"] == "row").ToList();

        rows.Select(r => (string)r["title"]!).ShouldBe(Rows);
        rows.ShouldAllBe(r => (bool)r["collapsed"]! == false);
    }

    [Fact]
    public void Dashboard_Templating_HasPrometheusDatasourceAndInstanceAndSegmentVariables()
    {
        var variables = ((JsonArray)Load()["templating"]!["list"]!).Select(v => v!).ToDictionary(v => (string)v["name"]!);

        variables.Keys.ShouldBe(["datasource", "instance", "segment"], ignoreOrder: true);
        ((string)variables["datasource"]["type"]!).ShouldBe("datasource");
        ((string)variables["datasource"]["query"]!).ShouldBe("prometheus");
        foreach (var name in new[] { "instance", "segment" })
        {
            ((string)variables[name]["type"]!).ShouldBe("query");
            ((string)variables[name]["datasource"]!["uid"]!).ShouldBe("${datasource}");
            ((bool)variables[name]["includeAll"]!).ShouldBeTrue();
        }
    }

    [Fact]
    public void Dashboard_EveryPanel_QueriesTheDatasourceVariableWithContractMetrics()
    {
        var panels = Panels().Where(p => (string?)p["type"] != "row").ToList();

        panels.Count.ShouldBeGreaterThan(20);
        panels.Select(p => (int)p["id"]!).ShouldBeUnique();
        foreach (var panel in panels)
        {
            var title = (string)panel["title"]!;
            ((string)panel["datasource"]!["uid"]!).ShouldBe("${datasource}", title);
            var targets = ((JsonArray)panel["targets"]!).Select(t => t!).ToList();
            targets.ShouldNotBeEmpty(title);
            foreach (var target in targets)
            {
                var expr = (string)target["expr"]!;
                ((string)target["datasource"]!["uid"]!).ShouldBe("${datasource}", title);
                ContractMetrics.Unknown(expr).ShouldBeEmpty(title);
                ContractMetrics.Used(expr).ShouldNotBeEmpty(title);
                expr.ShouldContain("instance=~\"$instance\"", Case.Sensitive, title);
            }
        }
    }

    [Fact]
    public void Dashboard_Metrics_CoverEveryContractMetric()
    {
        var used = Expressions().SelectMany(ContractMetrics.Used).ToHashSet();

        // Every metric of the contract is on some panel.
        ContractMetrics.Names.Except(used).ShouldBeEmpty();
    }

    [Fact]
    public void Dashboard_PrivacyBudgetRow_ShowsTimeToExhaustionPerSegment()
    {
        var panel = Panels().Single(p => (string?)p["title"] == "Time to exhaustion per segment");

        ((string)panel["fieldConfig"]!["defaults"]!["unit"]!).ShouldBe("s");
        var exprs = ((JsonArray)panel["targets"]!).Select(t => (string)t!["expr"]!).ToList();
        exprs.ShouldAllBe(e => e.Contains("max by (segment)") && e.Contains("_remaining") && e.Contains("deriv("));
    }

    [SkippableFact]
    public void Dashboard_EveryExpression_IsValidPromQl()
    {
        // promtool parses each expression as a recording rule, with the template variables as Grafana fills them.
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var file = Path.Combine(Path.GetTempPath(), $"sm-dashboard-exprs-{Guid.NewGuid():N}.yaml");
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        var i = 0;
        foreach (var expr in Expressions())
        {
            var filled = expr.Replace("$instance", ".*", StringComparison.Ordinal).Replace("$segment", ".*", StringComparison.Ordinal);
            rules.Append(System.Globalization.CultureInfo.InvariantCulture, $"      - record: dashboard:expr{i++}\n        expr: {System.Text.Json.JsonSerializer.Serialize(filled)}\n");
        }

        File.WriteAllText(file, rules.ToString());
        try
        {
            var result = ExternalTool.Run(promtool, ["check", "rules", file]);

            result.ExitCode.ShouldBe(0, result.ToString());
            result.Output.ShouldContain($"SUCCESS: {i} rules found");
        }
        finally
        {
            File.Delete(file);
        }
    }

    internal static JsonNode Load() => JsonNode.Parse(File.ReadAllText(RepositoryPaths.DashboardFile))!;

    /// <summary>Every panel, rows and those nested in rows included.</summary>
    internal static IEnumerable<JsonNode> Panels()
    {
        foreach (var panel in ((JsonArray)Load()["panels"]!).Select(p => p!))
        {
            yield return panel;
            if (panel["panels"] is JsonArray nested)
            {
                foreach (var inner in nested)
                {
                    yield return inner!;
                }
            }
        }
    }

    internal static IEnumerable<string> Expressions() =>
        Panels().Where(p => p["targets"] is JsonArray).SelectMany(p => ((JsonArray)p["targets"]!).Select(t => (string)t!["expr"]!));
}
