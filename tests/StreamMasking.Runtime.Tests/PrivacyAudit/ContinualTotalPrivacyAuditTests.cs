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
/// Empirical privacy audit of the continual total through the running pipeline on the broker. A trial is one continual
/// counter: every counter (20 continual counts per segment, 10 segments per side) draws its noise under its own
/// identity, so counters are independent trials. Neighbouring streams: the second side's segments hold one more privacy
/// unit in the first window (the worst case the bounds allow: one contribution, one window per unit). The observer
/// sees each counter's first running total and every string of its release and audit events (strings of one segment
/// only, such as its name, tell the sides apart by construction and are left out); the Clopper–Pearson lower bound on ε
/// (<see cref="TrialAuditor"/>) must not exceed the counter's declared ε. False-failure rate
/// <see cref="TrialAuditor.Alpha"/> = 1e-3; the noise is a fixed function of the fixed master secret, so a run that
/// passes always passes.
/// </summary>
/// <remarks>
/// The negative control runs in the same pipeline: segments without a privacy unit, where the neighbour is one person's
/// 200 events, so nothing bounds their contribution (as in a build that does not enforce the bound: the true ε is 200×
/// the declared one). The counter's first output carries the noise of a tree over 2^16 steps, far wider than one
/// Laplace draw, so a small excess would go unseen with these trial counts; this one must be seen (bound above the
/// declared ε), which shows the audit looks at what it claims to.
/// </remarks>
[Collection(KafkaCluster.Collection)]
public sealed class ContinualTotalPrivacyAuditTests(KafkaCluster cluster, ITestOutputHelper output)
{
    private const double CounterEpsilon = 0.5;
    private const int CountersPerSegment = 20;
    private const int SegmentsPerSide = 10;
    private const int BrokenEvents = 200;

    private static string Segment(string name, bool withUnit) => $$"""
          - name: {{name}}
            match: { field: g, equals: {{name}} }
            fields: { seq: keep, u: tokenize }
        {{(withUnit ? "    privacyUnit: { field: u, maxEventsPerWindow: 1 }\n" : "")}}    window: { size: 1m }
            budget: { accountant: basic, perWindow: { epsilon: 25 }, lifetime: { epsilon: 1000000 } }
            aggregates:
        {{string.Join("\n", Enumerable.Range(0, CountersPerSegment).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"      - {{ name: c{i:D2}, kind: count, epsilon: {CounterEpsilon}, continual: true }}")))}}
        """;

    private static IEnumerable<(string Name, bool Bounded, bool Neighbour)> Segments() =>
        from bounded in new[] { true, false }
        from side in new[] { false, true }
        from i in Enumerable.Range(0, SegmentsPerSide)
        select ((bounded ? "ok" : "broken") + (side ? "-n" : "-b") + i.ToString(CultureInfo.InvariantCulture), bounded, side);

    private static Func<string, string> Policy => prefix => $$"""
        version: "e2e-continual-audit-1"
        maskedTopic: "{{prefix}}.{segment}"
        segments:
        {{string.Join("\n", Segments().Select(s => Segment(s.Name, s.Bounded)))}}
        """;

    [Fact]
    public async Task RunningPipeline_NeighbouringStreams_ContinualTotalEmpiricalEpsilonNotAboveDeclared()
    {
        using var fixture = new DpPipelineFixture(cluster, Policy);
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        var input = new List<Message<byte[]?, byte[]?>>();
        foreach (var (name, bounded, neighbour) in Segments())
        {
            // Window 0: two units (and, on the neighbour side, one more unit, or one person's 200 events when
            // unbounded); window 1: one record that seals window 0.
            input.Add(Record(name, 1, "u1", input.Count));
            input.Add(Record(name, 2, "u2", input.Count));
            for (var e = 0; neighbour && e < (bounded ? 1 : BrokenEvents); e++)
            {
                input.Add(Record(name, 3 + (e / 10.0), "u3", input.Count));
            }

            input.Add(Record(name, 61, "u4", input.Count));
        }

        await fixture.ProduceAsync(input);
        var segments = Segments().Count();
        var snapshot = await DpPipelineFixture.RunUntilAsync(pipeline, input.Count, segments * CountersPerSegment * 2L);
        snapshot.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(snapshot));
        snapshot.Suppressions.ShouldBe(0);

        var totals = fixture.Releases().Where(r => r.GetProperty("continual").GetBoolean()).ToList();
        totals.Count.ShouldBe(segments * CountersPerSegment);
        var tokens = AuditTokens(fixture.AuditEvents());
        var bound = Audit("continual total", totals, tokens, bounded: true);
        var broken = Audit("continual total, contribution not bounded (negative control)", totals, tokens, bounded: false);

        bound.ShouldBeLessThanOrEqualTo(CounterEpsilon, "an observer distinguishes neighbouring streams beyond the declared epsilon");
        broken.ShouldBeGreaterThan(CounterEpsilon, "the audit must see a contribution bound that is not enforced");
    }

    private double Audit(string name, List<JsonElement> totals, Dictionary<string, HashSet<string>> auditTokens, bool bounded)
    {
        var trials = new List<(string Segment, bool Neighbour, double Value, HashSet<string> Tokens)>();
        foreach (var release in totals)
        {
            var segment = release.GetProperty("segment").GetString()!;
            if (segment.StartsWith("ok-", StringComparison.Ordinal) != bounded)
            {
                continue;
            }

            var aggregate = release.GetProperty("aggregate").GetString()!;
            var tokens = new HashSet<string>(auditTokens.GetValueOrDefault(segment + "\n" + aggregate) ?? [], StringComparer.Ordinal);
            Observation.CollectTokens(release, tokens);
            trials.Add((segment, segment.Contains("-n", StringComparison.Ordinal), release.GetProperty("value").GetDouble(), tokens));
        }

        // Strings seen in one segment only (its name, its content hash, keys built from them) are the trial's public
        // setup: each segment is one side by construction. A string shared by segments, such as a digest of equal
        // exact states, stays for the attacker to group by.
        var ofOneSegment = trials.SelectMany(t => t.Tokens.Select(token => (token, t.Segment)))
            .GroupBy(p => p.token, StringComparer.Ordinal)
            .Where(g => g.Select(p => p.Segment).Distinct(StringComparer.Ordinal).Count() == 1)
            .Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var first = trials.Where(t => !t.Neighbour).Select(t => new Observation(t.Value, t.Tokens.Except(ofOneSegment).ToHashSet(StringComparer.Ordinal))).ToList();
        var second = trials.Where(t => t.Neighbour).Select(t => new Observation(t.Value, t.Tokens.Except(ofOneSegment).ToHashSet(StringComparer.Ordinal))).ToList();

        first.Count.ShouldBe(SegmentsPerSide * CountersPerSegment, name);
        second.Count.ShouldBe(SegmentsPerSide * CountersPerSegment, name);
        var bound = TrialAuditor.EpsilonLowerBound(first, second);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {first.Count} + {second.Count} trials, empirical epsilon lower bound {bound:F3} (declared {CounterEpsilon})"));
        return bound;
    }

    // Strings of each counter's audit events (its per-window release and debit included), by segment and aggregate.
    private static Dictionary<string, HashSet<string>> AuditTokens(List<JsonElement> auditEvents)
    {
        var bySegment = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var audit in auditEvents)
        {
            if (audit.GetProperty("type").GetString() is not ("io.streammasking.release" or "io.streammasking.budget.debit")
                || !audit.TryGetProperty("subject", out var subject) || !audit.TryGetProperty("data", out var data))
            {
                continue;
            }

            var key = subject.GetString() + "\n" + data.GetProperty("aggregate").GetString();
            if (!bySegment.TryGetValue(key, out var tokens))
            {
                bySegment[key] = tokens = new HashSet<string>(StringComparer.Ordinal);
            }

            Observation.CollectTokens(data, tokens);
        }

        return bySegment;
    }

    private static Message<byte[]?, byte[]?> Record(string segment, double at, string unit, int seq) =>
        DpPipelineFixture.Event("x", at, new JsonObject { ["g"] = segment, ["seq"] = seq, ["u"] = segment + "-" + unit });
}
