using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Policy.Identity;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Policy.Identity;

public sealed class PolicyContentHashTests
{
    private static readonly System.Text.CompositeFormat Template = System.Text.CompositeFormat.Parse("""
        version: "{0}"
        segments:
          - name: s
            match: {{ all: [] }}
            fields:
              cost: {{ action: laplace, epsilon: {1}, clamp: {{ min: 0, max: 100 }} }}
              id: tokenize
            privacyUnit: {{ field: id, maxEventsPerWindow: 2 }}
            window: {{ size: 1h, grace: {3} }}
            budget: {{ perWindow: {{ epsilon: 5 }}, lifetime: {{ epsilon: 50 }} }}
            aggregates:
              - {{ name: visits, kind: count, epsilon: 0.5, maxContributionsPerUnit: {2}, continual: true }}
        """);

    private static SegmentPolicy Segment(string version = "1", string epsilon = "1", int contributions = 1, string grace = "5m") =>
        TestPolicies.Valid(string.Format(System.Globalization.CultureInfo.InvariantCulture, Template, version, epsilon, contributions, grace)).Segments[0];

    private static string Aggregation(SegmentPolicy segment) => AggregationSpecMapper.Map(segment, "any")!.ContentHash;

    [Fact]
    public void Of_VersionStringAndScheduleOnly_DoNotChangeTheHash()
    {
        var hash = PolicyContentHash.Of(Segment());
        hash.Length.ShouldBe(32);
        PolicyContentHash.Of(Segment(version: "2")).ShouldBe(hash);
        PolicyContentHash.Of(Segment(grace: "10m")).ShouldBe(hash);
        PolicyContentHash.Of(Segment(epsilon: "1.0")).ShouldBe(hash, "1 and 1.0 are one value");
        Aggregation(Segment(version: "2")).ShouldBe(Aggregation(Segment()));
    }

    [Fact]
    public void Of_AnyDpParameter_ChangesTheHash()
    {
        var hash = PolicyContentHash.Of(Segment());
        PolicyContentHash.Of(Segment(epsilon: "2")).ShouldNotBe(hash);
        PolicyContentHash.Of(Segment(contributions: 10)).ShouldNotBe(hash);
        Aggregation(Segment(contributions: 10)).ShouldNotBe(Aggregation(Segment()));

        // Event-level noise parameters are segment content, not aggregation content.
        Aggregation(Segment(epsilon: "2")).ShouldBe(Aggregation(Segment()));
    }
}
