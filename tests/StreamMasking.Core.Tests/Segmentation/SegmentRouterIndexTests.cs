using System.Globalization;
using System.Text;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Records;
using StreamMasking.Core.Segmentation;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Segmentation;

/// <summary>The equals index gives the linear scan's answer: first match in declared order.</summary>
public sealed class SegmentRouterIndexTests
{
    private static readonly string[] Values = ["a", "b", "c", "d", "e", "f", "7", "x"];
    private static readonly string[] Tenants = [.. Enumerable.Range(0, 60).Select(i => "t" + i.ToString(CultureInfo.InvariantCulture))];

    [Fact]
    public void Route_IndexedAndLinear_AgreeOnRandomPoliciesAndRecords()
    {
        // Fixed seed: the same policies and records on every run, so a failure reproduces.
        var random = new Random(20261204);
        var policies = 0;
        var matched = 0;
        var unmatched = 0;
        for (var attempt = 0; attempt < 400 && policies < 150; attempt++)
        {
            var parsed = PolicyLoader.Parse(RandomPolicy(random), "random.yaml");
            if (parsed.Policy is not { } policy)
            {
                continue; // e.g. two identical rules, or a rule after a catch-all: not a policy, nothing to route.
            }

            var indexed = new SegmentRouter(policy);
            var linear = new SegmentRouter(policy, useIndex: false);
            linear.UsesIndex.ShouldBeFalse();
            policies += indexed.UsesIndex ? 1 : 0;
            for (var r = 0; r < 200; r++)
            {
                var record = RandomRecord(random);
                var expected = linear.Route(record);
                indexed.Route(record).ShouldBe(expected);
                _ = expected.IsMatched ? matched++ : unmatched++;
            }
        }

        // The property is only worth something over many indexed policies and both outcomes.
        policies.ShouldBeGreaterThan(100);
        matched.ShouldBeGreaterThan(1000);
        unmatched.ShouldBeGreaterThan(500);
    }

    [Fact]
    public void Route_EarlierUnindexedSegment_WinsOverIndexedOne()
    {
        var yaml = new StringBuilder("""
            version: "1"
            segments:
              - { name: gold, match: { field: tier, equals: gold } }

            """);
        for (var i = 0; i < 10; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{ name: t{i}, match: {{ field: tenant, equals: t{i} }} }}\n");
        }

        yaml.Append("  - { name: late-gold, match: { field: tier, equals: gold2 } }\n");
        var router = new SegmentRouter(TestPolicies.Valid(yaml.ToString()));

        router.UsesIndex.ShouldBeTrue();
        router.Route(TestPolicies.Record("""{"tenant":"t3","tier":"gold"}""")).Segment!.Name.ShouldBe("gold");
        router.Route(TestPolicies.Record("""{"tenant":"t3","tier":"gold2"}""")).Segment!.Name.ShouldBe("t3");
        router.Route(TestPolicies.Record("""{"tenant":"t99","tier":"gold2"}""")).Segment!.Name.ShouldBe("late-gold");
        router.Route(TestPolicies.Record("""{"tenant":"t99"}""")).IsMatched.ShouldBeFalse();
    }

    [Fact]
    public void Route_FewEqualsSegments_AreScannedWithoutIndex()
    {
        var policy = TestPolicies.Valid("""
            version: "1"
            segments:
              - { name: a, match: { field: tenant, equals: a } }
              - { name: b, match: { field: tenant, equals: b } }
            """);

        new SegmentRouter(policy).UsesIndex.ShouldBeFalse();
    }

    /// <summary>
    /// 16–48 segments: mostly equals / in on field tenant (repeated operands included), the rest equals on another
    /// field, a header or the topic, prefix, exists, all / any compositions, and sometimes a catch-all last.
    /// </summary>
    private static string RandomPolicy(Random random)
    {
        var yaml = new StringBuilder("version: \"1\"\nsegments:\n");
        // Equals operands on tenant are drawn without replacement (two identical rules are not a policy); in-lists
        // and compositions repeat them, so an operand can belong to several segments and the first must win.
        var unused = new Queue<string>(Tenants.OrderBy(_ => random.Next()));
        var used = new HashSet<string>(StringComparer.Ordinal);
        var count = random.Next(16, 49);
        for (var i = 0; i < count; i++)
        {
            var last = i == count - 1;
            var match = RandomRule(random, unused, depth: 0);
            for (var retry = 0; retry < 20 && !used.Add(match); retry++)
            {
                match = RandomRule(random, unused, depth: 0);
            }

            match = last && random.Next(4) == 0 ? "{ all: [] }" : match;
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{ name: s{i}, match: {match} }}\n");
        }

        return yaml.ToString();
    }

    private static string RandomRule(Random random, Queue<string> unused, int depth)
    {
        var v = Values[random.Next(Values.Length)];
        var t = Tenants[random.Next(Tenants.Length)];
        var u = Tenants[random.Next(Tenants.Length)];
        return random.Next(depth == 0 ? 14 : 9) switch
        {
            < 5 when depth == 0 && unused.Count > 0 => $"{{ field: tenant, equals: '{unused.Dequeue()}' }}",
            < 5 => $"{{ field: tenant, equals: '{t}' }}",
            5 => $"{{ field: tenant, in: ['{t}', '{u}'] }}",
            6 => $"{{ field: tier, equals: '{v}' }}",
            7 => $"{{ header: tenant, equals: '{v}' }}",
            8 => $"{{ topic: null, equals: '{(random.Next(2) == 0 ? "events" : "other")}' }}",
            9 => $"{{ field: tenant, prefix: 't{random.Next(6)}' }}",
            10 => $"{{ field: tier, exists: {(random.Next(2) == 0 ? "true" : "false")} }}",
            11 => $"{{ field: nested.tenant, equals: '{v}' }}",
            // Children on different subjects: two equals on one subject in an 'all' is a contradiction, not a policy.
            12 => $"{{ all: [{RandomRule(random, unused, depth + 1)}, {{ field: other, equals: '{v}' }}] }}",
            _ => $"{{ any: [{RandomRule(random, unused, depth + 1)}, {RandomRule(random, unused, depth + 1)}] }}",
        };
    }

    /// <summary>Records with tenant absent, null, a number, an object or one of the operands (or one longer).</summary>
    private static RecordEnvelope RandomRecord(Random random)
    {
        string Text() => Values[random.Next(Values.Length)];
        string Tenant() => Tenants[random.Next(Tenants.Length)];
        var tenant = random.Next(10) switch
        {
            0 => null,
            1 => "\"tenant\":null,",
            2 => "\"tenant\":7,",
            3 => "\"tenant\":{\"a\":1},",
            4 => $"\"tenant\":\"{Tenant()}x\",",
            _ => $"\"tenant\":\"{Tenant()}\",",
        };
        var tier = random.Next(3) == 0 ? "" : $"\"tier\":\"{Text()}\",";
        var nested = random.Next(3) == 0 ? "" : $"\"nested\":{{\"tenant\":\"{Text()}\"}},";
        var json = "{" + tenant + tier + nested + "\"id\":1}";
        var headers = random.Next(2) == 0 ? null : new Dictionary<string, string>(StringComparer.Ordinal) { ["tenant"] = Text() };
        return TestPolicies.Record(json, random.Next(2) == 0 ? "events" : "other", headers);
    }
}
