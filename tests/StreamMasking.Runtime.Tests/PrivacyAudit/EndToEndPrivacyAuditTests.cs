using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using StreamMasking.Runtime.Tests.Windowing.Integration;
using StreamMasking.Testing;
using Xunit.Abstractions;

namespace StreamMasking.Runtime.Tests.PrivacyAudit;

/// <summary>
/// Empirical privacy audit of the running pipeline on the broker: trials on neighbouring inputs (one privacy unit
/// present or absent at the worst case the declared bounds allow, or one record's value at either end of its
/// clamp), everything an observer of the aggregates, audit and masked topics sees about each trial, and a
/// Clopper–Pearson lower bound on ε (<see cref="TrialAuditor"/>). Each bound must not exceed the declared ε; each
/// audit's false-failure rate is <see cref="TrialAuditor.Alpha"/> = 1e-3 (six audits: at most 0.6 % for the class, and
/// the noise is a fixed function of the fixed master secret, so a run that passes always passes). A release
/// identifier derived from the exact window state (equal states, equal identifier) is caught: the attacker groups
/// trials by it and the bound exceeds 3.
/// </summary>
/// <remarks>
/// Windows are independent trials: every window release draws its noise from its own label. Set
/// <c>STREAMMASKING_LONG_AUDIT=1</c> for 5× more trials (a tighter bound, about five times the wall time).
/// </remarks>
[Collection(KafkaCluster.Collection)]
public sealed class EndToEndPrivacyAuditTests(KafkaCluster cluster, ITestOutputHelper output)
{
    private const double AggregateEpsilon = 0.5;
    private const double EventEpsilon = 0.5;
    private const double ResponseEpsilon = 1.0;

    private static int Scale => Environment.GetEnvironmentVariable("STREAMMASKING_LONG_AUDIT") == "1" ? 5 : 1;

    private static Func<string, string> Policy => prefix => $$"""
        version: "e2e-audit-1"
        maskedTopic: "{{prefix}}.{segment}"
        segments:
          - name: windows
            match: { field: type, equals: window }
            fields: { seq: keep, u: tokenize }
            privacyUnit: { field: u, maxEventsPerWindow: 1, overCap: strip-noised-fields }
            window: { size: 1m }
            budget: { accountant: basic, perWindow: { epsilon: 2.5 }, lifetime: { epsilon: 1000000 } }
            aggregates:
              - { name: n, kind: count, epsilon: {{AggregateEpsilon}} }
              - { name: total, kind: sum, field: v, clamp: { min: 0, max: 10 }, epsilon: {{AggregateEpsilon}} }
              - { name: hist, kind: histogram, field: c, domain: [a, b, c], epsilon: {{AggregateEpsilon}} }
              - { name: top, kind: top-k, field: c, domain: [a, b, c], k: 1, epsilon: {{AggregateEpsilon}} }
          - name: noised
            match: { field: type, equals: noised }
            fields:
              seq: keep
              v: { action: laplace, epsilon: {{EventEpsilon}}, clamp: { min: 0, max: 10 } }
          - name: responses
            match: { field: type, equals: response }
            fields:
              seq: keep
              c: { action: randomized-response, epsilon: {{ResponseEpsilon}}, categories: [a, b, c] }
        """;

    [Fact]
    public async Task RunningPipeline_NeighbouringInputs_EmpiricalEpsilonNotAboveDeclared()
    {
        var windows = 1000 * Scale;
        var events = 1000 * Scale;
        using var fixture = new DpPipelineFixture(cluster, Policy);
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        var input = new List<Message<byte[]?, byte[]?>>();

        // Odd windows hold the neighbour: one more unit, at the clamp's top for the sum and in category b.
        for (var w = 0; w < windows; w++)
        {
            input.Add(WindowRecord(w, 1, input.Count, v: 0, c: "a"));
            input.Add(WindowRecord(w, 2, input.Count, v: 0, c: "a"));
            if (w % 2 == 1)
            {
                input.Add(WindowRecord(w, 3, input.Count, v: 10, c: "b"));
            }
        }

        input.Add(WindowRecord(windows, 1, input.Count, v: 0, c: "a"));

        // Odd records are the neighbour record: the other end of the clamp, or another category.
        var neighbours = new HashSet<int>();
        for (var e = 0; e < 2 * events; e++)
        {
            var neighbour = e % 4 >= 2;
            if (neighbour)
            {
                neighbours.Add(input.Count);
            }

            input.Add(e % 2 == 0
                ? DpPipelineFixture.Event("noised", 10 + (e / 100.0), new JsonObject { ["seq"] = input.Count, ["v"] = neighbour ? 10 : 0 })
                : DpPipelineFixture.Event("response", 10 + (e / 100.0), new JsonObject { ["seq"] = input.Count, ["c"] = neighbour ? "b" : "a" }));
        }

        await fixture.ProduceAsync(input);
        var snapshot = await DpPipelineFixture.RunUntilAsync(pipeline, input.Count, windows * 4L);
        snapshot.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(snapshot));
        snapshot.Suppressions.ShouldBe(0);

        var failures = new List<string>();
        var byWindow = WindowTokens(fixture.AuditEvents());
        var releases = fixture.Releases();
        Audit(failures, "count", releases, byWindow, "n", r => r.GetProperty("value").GetDouble(), AggregateEpsilon);
        Audit(failures, "sum", releases, byWindow, "total", r => r.GetProperty("value").GetDouble(), AggregateEpsilon);
        Audit(failures, "histogram", releases, byWindow, "hist",
            r => r.GetProperty("bins").EnumerateArray().Single(b => b.GetProperty("key").GetString() == "b").GetProperty("value").GetDouble(),
            AggregateEpsilon);
        Audit(failures, "top-k", releases, byWindow, "top",
            r => r.GetProperty("selected").EnumerateArray().Any(s => s.GetString() == "b") ? 1 : 0, AggregateEpsilon);

        var noised = fixture.Masked("noised").Select(r => Masked(r, neighbours)).ToList();
        var responses = fixture.Masked("responses").Select(r => Masked(r, neighbours)).ToList();
        noised.Count.ShouldBe(events);
        responses.Count.ShouldBe(events);
        AuditEvents(failures, "event-level laplace", noised, m => m.Value["v"]!.GetValue<double>(), EventEpsilon);
        AuditEvents(failures, "randomized response", responses, m => m.Value["c"]!.GetValue<string>() == "b" ? 1 : 0, ResponseEpsilon);
        failures.ShouldBeEmpty("an observer of the outputs distinguishes neighbours beyond the declared epsilon");
    }

    private void Audit(List<string> failures, string name, List<JsonElement> releases, Dictionary<long, HashSet<string>> windowTokens, string aggregate,
        Func<JsonElement, double> feature, double declared)
    {
        var first = new List<Observation>();
        var second = new List<Observation>();
        foreach (var release in releases.Where(r => r.GetProperty("aggregate").GetString() == aggregate))
        {
            var window = release.GetProperty("window").GetProperty("index").GetInt64();
            var tokens = new HashSet<string>(windowTokens.GetValueOrDefault(window) ?? [], StringComparer.Ordinal);
            Observation.CollectTokens(release, tokens);
            (window % 2 == 1 ? second : first).Add(new Observation(feature(release), tokens));
        }

        Report(failures, name, first, second, declared);
    }

    private void AuditEvents(List<string> failures, string name, List<(JsonObject Value, HashSet<string> Tokens, bool Neighbour)> masked,
        Func<(JsonObject Value, HashSet<string> Tokens, bool Neighbour), double> feature, double declared)
    {
        var first = masked.Where(m => !m.Neighbour).Select(m => new Observation(feature(m), m.Tokens)).ToList();
        var second = masked.Where(m => m.Neighbour).Select(m => new Observation(feature(m), m.Tokens)).ToList();
        Report(failures, name, first, second, declared);
    }

    private void Report(List<string> failures, string name, List<Observation> first, List<Observation> second, double declared)
    {
        first.Count.ShouldBeGreaterThan(100, name);
        second.Count.ShouldBeGreaterThan(100, name);
        var bound = TrialAuditor.EpsilonLowerBound(first, second);
        var valueOnly = TrialAuditor.EpsilonLowerBound(first, second, withIdentifiers: false);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{name}: {first.Count} + {second.Count} trials, empirical epsilon lower bound {bound:F3} (values alone {valueOnly:F3}; declared {declared})");
        output.WriteLine(line);
        if (bound > declared)
        {
            failures.Add(line);
        }
    }

    private static (JsonObject Value, HashSet<string> Tokens, bool Neighbour) Masked(ConsumeResult<byte[]?, byte[]?> record, HashSet<int> neighbours)
    {
        var value = JsonNode.Parse(record.Message.Value!)!.AsObject();
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        Observation.CollectTokens(JsonDocument.Parse(record.Message.Value!).RootElement, tokens);
        foreach (var header in record.Message.Headers ?? [])
        {
            if (header.Key != "sm-source-offset")
            {
                tokens.Add(header.Key + "=" + Encoding.UTF8.GetString(header.GetValueBytes()));
            }
        }

        // The trial's side is known to the test from the input's seq (odd events are neighbours), not from the output.
        var seq = value["seq"]!.GetValue<int>();
        return (value, tokens, neighbours.Contains(seq));
    }

    /// <summary>Every string of each window's audit events, by window index.</summary>
    private static Dictionary<long, HashSet<string>> WindowTokens(List<JsonElement> auditEvents)
    {
        var byWindow = new Dictionary<long, HashSet<string>>();
        foreach (var audit in auditEvents)
        {
            if (!audit.TryGetProperty("data", out var data) || !data.TryGetProperty("window", out var window)
                || !window.TryGetProperty("index", out var index))
            {
                continue;
            }

            var w = index.GetInt64();
            if (!byWindow.TryGetValue(w, out var tokens))
            {
                byWindow[w] = tokens = new HashSet<string>(StringComparer.Ordinal);
            }

            Observation.CollectTokens(data, tokens);
        }

        return byWindow;
    }

    private static Message<byte[]?, byte[]?> WindowRecord(int window, int unit, int seq, double v, string c) =>
        DpPipelineFixture.Event("window", (window * 60) + unit, new JsonObject
        {
            ["seq"] = seq, ["u"] = string.Create(CultureInfo.InvariantCulture, $"w{window}-u{unit}"), ["v"] = v, ["c"] = c,
        });
}
