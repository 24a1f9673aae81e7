using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Matching;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Policy;

public sealed class PolicyModelTests
{
    private static PrivacyPolicy Full() => PolicyLoader.LoadFileOrThrow(RepositoryRoot.Of("policies", "examples", "full.yaml"));

    private static string Rules(SegmentPolicy segment) =>
        string.Join("; ", segment.Fields.Select(f => $"{f.Path}={f.Action.Describe()}{(f.Tag is null ? "" : " #" + f.Tag)}"));

    [Fact]
    public void Load_FullExample_TopLevel()
    {
        var policy = Full();

        policy.Version.ShouldBe("2026-11-23.1");
        policy.SourceName.ShouldEndWith("full.yaml");
        policy.MaskedTopicPattern.ShouldBe("masked.{segment}");
        policy.Defaults.Nulls.ShouldBe(NullHandling.Keep);
        policy.SchemaTags["patient.email"].ShouldBe(["PII", "CONTACT"]);
        policy.TagActions["QUASI"].ShouldBe(new GeneralizePrefixAction(3));
        policy.Segments.Select(s => (s.Index, s.Name, s.MaskedTopic)).ShouldBe(
        [
            (0, "clinic-a.eu.visits", "masked.clinic-a.eu.visits"),
            (1, "clinic-a.other", "masked.clinic-a.other"),
            (2, "payments", "masked.payments"),
        ]);
    }

    [Fact]
    public void Load_FullExample_PathRulesThenTagRules()
    {
        var s = Full().Segments[0];

        Rules(s).ShouldBe(
            "visitId=keep (raw value passes); patient.id=tokenize (HMAC-SHA256, per-segment key); "
            + "patient.age=generalize: numeric bucket of width 10 written as range; visit.at=generalize: date truncated to hour (UTC); "
            + "visit.diagnosis=keep (raw value passes); patient.name=tokenize (HMAC-SHA256, per-segment key) #PII; "
            + "patient.ssn=tokenize (HMAC-SHA256, per-segment key) #PII; patient.email=tokenize (HMAC-SHA256, per-segment key) #PII; "
            + "patient.zip=generalize: keep the first 3 characters #QUASI");
        s.Fields.Where(f => f.Tag is not null).ShouldAllBe(f => f.Source == FieldRuleSource.Tag);
    }

    [Fact]
    public void Load_FullExample_SegmentTagsOverridePolicyTagsAndPathsOverrideTags()
    {
        var s = Full().Segments[1];

        s.Fields.Single(f => f.Path.Text == "patient.name").Action.ShouldBe(DropAction.Instance);
        s.Fields.Single(f => f.Path.Text == "patient.email").Action.ShouldBe(new PartialMaskAction(1, 4, "*"));
        s.Fields.Single(f => f.Path.Text == "patient.email").Source.ShouldBe(FieldRuleSource.Path);
        s.Fields.Single(f => f.Path.Text == "patient.zip").Action.ShouldBe(new GeneralizePrefixAction(3));
    }

    [Fact]
    public void Load_FullExample_MatchRules()
    {
        var policy = Full();

        policy.Segments[0].Match.ShouldBe(new AllCondition(
        [
            new PredicateCondition(MatchSubject.Field, "tenant", MatchOperator.Equals, ["clinic-a"]),
            new PredicateCondition(MatchSubject.Header, "region", MatchOperator.In, ["eu-west", "eu-central"]),
            new PredicateCondition(MatchSubject.Topic, "", MatchOperator.Prefix, ["visits."]),
        ]), new MatchConditionComparer());
        policy.Segments[2].Match.Describe().ShouldBe("any(topic == 'payments', field kind matches /payment|refund/)");
    }

    [Fact]
    public void Parse_TaggedFieldWithoutAnyTagAction_IsNotRuled()
    {
        var policy = TestPolicies.Valid("""
            version: "1"
            schema: { fields: { a: [UNUSED] } }
            segments: [{ name: s, match: { all: [] } }]
            """);

        policy.Segments[0].Fields.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_TagsAgreeingOnOneAction_IsOneRule()
    {
        var policy = TestPolicies.Valid("""
            version: "1"
            schema: { fields: { a: [X, Y] } }
            tags: { X: tokenize, Y: { action: tokenize } }
            segments: [{ name: s, match: { all: [] } }]
            """);

        policy.Segments[0].Fields.ShouldHaveSingleItem().Tag.ShouldBe("X");
    }

    [Theory]
    [InlineData("version: 3", "3")]
    [InlineData("version: 1.10", "1.10")]
    [InlineData("version: '2026-01-01'", "2026-01-01")]
    public void Parse_VersionScalar_IsKeptAsText(string line, string expected) =>
        TestPolicies.Valid($"{line}\nsegments: [{{ name: s, match: {{ all: [] }} }}]\n").Version.ShouldBe(expected);

    [Fact]
    public void Parse_CustomMaskedTopicPattern_AppliesToEverySegment() =>
        TestPolicies.Valid("version: '1'\nmaskedTopic: 'prod.{segment}.masked-v1'\nsegments: [{ name: s, match: { all: [] } }]\n")
            .Segments[0].MaskedTopic.ShouldBe("prod.s.masked-v1");

    [Fact]
    public void Parse_YamlAnchorsAndAliases_AreResolved()
    {
        var policy = TestPolicies.Valid("""
            version: "1"
            segments:
              - name: a
                match: { field: t, equals: a }
                fields: &f { x: keep, y: tokenize }
              - name: b
                match: { field: t, equals: b }
                fields: *f
            """);

        policy.Segments[1].Fields.Select(f => f.Path.Text).ShouldBe(["x", "y"]);
    }

    [Fact]
    public void LoadFile_ExamplesFolder_AllValid()
    {
        var files = Directory.GetFiles(RepositoryRoot.Of("policies"), "*.yaml", SearchOption.AllDirectories);

        files.Length.ShouldBeGreaterThanOrEqualTo(2);
        foreach (var file in files)
        {
            var result = PolicyLoader.LoadFile(file);
            result.Diagnostics.ShouldBeEmpty(string.Join("\n", result.Diagnostics));
        }
    }

    /// <summary>Structural equality for match trees (records compare lists by reference).</summary>
    private sealed class MatchConditionComparer : IEqualityComparer<MatchCondition>
    {
        public bool Equals(MatchCondition? x, MatchCondition? y) => x?.Describe() == y?.Describe();

        public int GetHashCode(MatchCondition obj) => obj.Describe().GetHashCode(StringComparison.Ordinal);
    }

    [Fact]
    public void FindSegment_ManySegments_FindsEachByExactName()
    {
        var yaml = new System.Text.StringBuilder("version: '1'\nsegments:\n");
        for (var i = 0; i < 50; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"  - {{ name: s{i}, match: {{ field: tenant, equals: t{i} }} }}\n");
        }

        var policy = TestPolicies.Valid(yaml.ToString());

        for (var i = 0; i < 50; i++)
        {
            policy.FindSegment("s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ShouldBeSameAs(policy.Segments[i]);
        }

        policy.FindSegment("S1").ShouldBeNull();
        policy.FindSegment("s50").ShouldBeNull();
        policy.FindSegment("").ShouldBeNull();
    }
}
