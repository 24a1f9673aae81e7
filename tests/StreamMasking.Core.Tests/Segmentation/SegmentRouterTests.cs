using StreamMasking.Core.Segmentation;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Segmentation;

public sealed class SegmentRouterTests
{
    private static string? Route(string matchYaml, string json, string topic = "events", Dictionary<string, string>? headers = null)
    {
        var policy = TestPolicies.Valid($"""
            version: "1"
            segments:
              - name: s
                match: {matchYaml}
            """);
        var route = new SegmentRouter(policy).Route(TestPolicies.Record(json, topic, headers));
        return route.Segment?.Name;
    }

    private static bool Matches(string matchYaml, string json, string topic = "events", Dictionary<string, string>? headers = null) =>
        Route(matchYaml, json, topic, headers) == "s";

    [Fact]
    public void Route_FirstMatchingSegmentInDeclaredOrderWins()
    {
        var policy = TestPolicies.Valid("""
            version: "1"
            segments:
              - name: vip
                match: { all: [{ field: tenant, equals: a }, { field: tier, equals: gold }] }
              - name: tenant-a
                match: { field: tenant, equals: a }
              - name: rest
                match: { all: [] }
            """);
        var router = new SegmentRouter(policy);

        router.Route(TestPolicies.Record("""{"tenant":"a","tier":"gold"}""")).Segment!.Name.ShouldBe("vip");
        router.Route(TestPolicies.Record("""{"tenant":"a","tier":"silver"}""")).Segment!.Name.ShouldBe("tenant-a");
        router.Route(TestPolicies.Record("""{"tenant":"b"}""")).Segment!.Name.ShouldBe("rest");
    }

    [Fact]
    public void Route_NoSegmentMatches_IsUnmatched()
    {
        var policy = TestPolicies.Valid("""
            version: "1"
            segments:
              - { name: a, match: { field: tenant, equals: a } }
            """);

        var route = new SegmentRouter(policy).Route(TestPolicies.Record("""{"tenant":"b"}"""));

        route.IsMatched.ShouldBeFalse();
        route.Segment.ShouldBeNull();
        route.ShouldBe(SegmentRoute.Unmatched);
    }

    [Theory]
    [InlineData("""{"t":"a"}""", true)]
    [InlineData("""{"t":"A"}""", false)]
    [InlineData("""{"t":"a "}""", false)]
    [InlineData("""{"u":"a"}""", false)]
    [InlineData("""{"t":null}""", false)]
    [InlineData("""{"t":{"a":1}}""", false)]
    public void Equals_ComparesTextOrdinally(string json, bool expected) =>
        Matches("{ field: t, equals: a }", json).ShouldBe(expected);

    [Theory]
    [InlineData("""{"n":42}""", true)]
    [InlineData("""{"n":42.0}""", true)]
    [InlineData("""{"n":"42"}""", true)]
    [InlineData("""{"n":4.2e1}""", true)]
    [InlineData("""{"n":43}""", false)]
    public void Equals_OnNumbers_UsesCanonicalText(string json, bool expected) =>
        Matches("{ field: n, equals: 42 }", json).ShouldBe(expected);

    [Theory]
    [InlineData("""{"b":true}""", true)]
    [InlineData("""{"b":"true"}""", true)]
    [InlineData("""{"b":false}""", false)]
    public void Equals_OnBooleans_UsesTrueFalseText(string json, bool expected) =>
        Matches("{ field: b, equals: 'true' }", json).ShouldBe(expected);

    [Theory]
    [InlineData("""{"p":{"addr":{"country":"NO"}}}""", true)]
    [InlineData("""{"p":{"addr":"NO"}}""", false)]
    [InlineData("""{"p":null}""", false)]
    public void Field_NestedPath_IsFollowed(string json, bool expected) =>
        Matches("{ field: p.addr.country, in: [NO, SE] }", json).ShouldBe(expected);

    [Theory]
    [InlineData("visits.eu", true)]
    [InlineData("visits", false)]
    [InlineData("payments.eu", false)]
    public void Topic_Prefix(string topic, bool expected) =>
        Matches("{ topic: null, prefix: visits. }", "{}", topic).ShouldBe(expected);

    [Fact]
    public void Topic_BlockFormWithEmptyValue_Works()
    {
        var policy = TestPolicies.Valid("""
            version: "1"
            segments:
              - name: s
                match:
                  any:
                    - topic:
                      equals: payments
                    - topic:
                      regex: "visits\\.[a-z]{2}"
            """);
        var router = new SegmentRouter(policy);

        router.Route(TestPolicies.Record("{}", "payments")).IsMatched.ShouldBeTrue();
        router.Route(TestPolicies.Record("{}", "visits.eu")).IsMatched.ShouldBeTrue();
        router.Route(TestPolicies.Record("{}", "visits.eu.x")).IsMatched.ShouldBeFalse();
        router.Route(TestPolicies.Record("{}", "payments2")).IsMatched.ShouldBeFalse();
    }

    [Theory]
    [InlineData("clinic-a", true)]
    [InlineData("clinic-ab", false)]
    [InlineData("xclinic-a", false)]
    [InlineData("clinic-Z", false)]
    public void Regex_MatchesWholeTextOnly(string tenant, bool expected) =>
        Matches("{ field: tenant, regex: 'clinic-[a-c]' }", $$"""{"tenant":"{{tenant}}"}""").ShouldBe(expected);

    [Fact]
    public void Regex_Alternation_IsAnchoredAsAWhole()
    {
        Matches("{ field: t, regex: 'a|b' }", """{"t":"b"}""").ShouldBeTrue();
        Matches("{ field: t, regex: 'a|b' }", """{"t":"ab"}""").ShouldBeFalse();
    }

    [Fact]
    public void Headers_MatchByExactName()
    {
        var headers = new Dictionary<string, string> { ["tenant"] = "a", ["X-Region"] = "eu" };

        Matches("{ header: tenant, equals: a }", "{}", headers: headers).ShouldBeTrue();
        Matches("{ header: Tenant, equals: a }", "{}", headers: headers).ShouldBeFalse();
        Matches("{ header: X-Region, prefix: e }", "{}", headers: headers).ShouldBeTrue();
        Matches("{ header: tenant, equals: a }", """{"tenant":"a"}""").ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"a":1}""", "true", true)]
    [InlineData("""{"a":{}}""", "true", true)]
    [InlineData("""{"a":null}""", "true", false)]
    [InlineData("""{}""", "true", false)]
    [InlineData("""{}""", "false", true)]
    [InlineData("""{"a":null}""", "false", true)]
    [InlineData("""{"a":""}""", "false", false)]
    public void Exists_FieldPresentAndNotNull(string json, string exists, bool expected) =>
        Matches($"{{ field: a, exists: {exists} }}", json).ShouldBe(expected);

    [Fact]
    public void Exists_OnHeader()
    {
        Matches("{ header: trace, exists: true }", "{}", headers: new() { ["trace"] = "" }).ShouldBeTrue();
        Matches("{ header: trace, exists: false }", "{}").ShouldBeTrue();
    }

    [Fact]
    public void AllAndAny_Compose()
    {
        const string match = """
            { all: [ { field: tenant, equals: a }, { any: [ { header: region, equals: eu }, { field: region, in: [eu, uk] } ] } ] }
            """;

        Matches(match, """{"tenant":"a","region":"uk"}""").ShouldBeTrue();
        Matches(match, """{"tenant":"a"}""", headers: new() { ["region"] = "eu" }).ShouldBeTrue();
        Matches(match, """{"tenant":"a","region":"us"}""").ShouldBeFalse();
        Matches(match, """{"tenant":"b","region":"eu"}""").ShouldBeFalse();
    }

    [Fact]
    public void EmptyAll_MatchesEverything() => Matches("{ all: [] }", "{}").ShouldBeTrue();
}
