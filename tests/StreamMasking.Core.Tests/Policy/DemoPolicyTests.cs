using System.Text.Json.Nodes;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Records;
using StreamMasking.Core.Segmentation;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Policy;

public sealed class DemoPolicyTests
{
    [Fact]
    public void LoadFile_DemoPolicy_IsValidWithFiveSegments()
    {
        var result = PolicyLoader.LoadFile(RepositoryRoot.Of("policies", "demo.yaml"));

        result.Diagnostics.ShouldBeEmpty(string.Join("\n", result.Diagnostics));
        result.Policy!.Segments.Select(s => s.Name).ShouldBe(
            ["clinic-a.eu.visits", "clinic-a.us.visits", "clinic-b.eu.visits", "clinic-b.us.visits", "payments"]);
        result.Policy.Segments[0].MaskedTopic.ShouldBe("masked.clinic-a.eu.visits");
        result.Policy.Version.ShouldBe("demo-1");
    }

    [Fact]
    public void RouteAndMask_DemoVisit_MasksAsDeclared()
    {
        var policy = PolicyLoader.LoadFileOrThrow(RepositoryRoot.Of("policies", "demo.yaml"));
        var record = new RecordEnvelope("visits", null, JsonNode.Parse("""
            {"eventId":"e1","type":"visit","tenant":"clinic-b","region":"us",
             "patient":{"id":"P-1","name":"Jane Roe","ssn":"123-45-6789","birthDate":"1980-05-17","zip":"10115","age":43},
             "visit":{"at":"2026-11-23T13:45:12+01:00","department":"cardiology","diagnosis":"J45","cost":123.45,"notes":"secret"}}
            """)!.AsObject(), new RecordCoordinates("visits", 2, 17));

        var route = new SegmentRouter(policy).Route(record);
        route.Segment!.Name.ShouldBe("clinic-b.us.visits");
        using var keyring = new TokenKeyring(TestPolicies.Secret);
        using var masker = new RecordMasker(policy, keyring);
        var outcome = masker.Mask(route.Segment, record);

        outcome.IsMasked.ShouldBeTrue(outcome.ToString());
        var o = outcome.Output!;
        o["patient"]!["age"]!.GetValue<string>().ShouldBe("[40,50)");
        o["patient"]!["birthDate"]!.GetValue<string>().ShouldBe("1980-01-01");
        o["patient"]!["zip"]!.GetValue<string>().ShouldBe("101");
        o["patient"]!["id"]!.GetValue<string>().ShouldStartWith("tok_");
        o["patient"]!.AsObject().ContainsKey("ssn").ShouldBeFalse(); // PII dropped in this segment
        o["visit"]!["at"]!.GetValue<string>().ShouldBe("2026-11-23T12:00:00Z");
        AssertCost(o["visit"]!["cost"]!, policy.FindSegment("clinic-b.us.visits")!);
        if (policy.FindSegment("clinic-b.us.visits")!.Fields.Single(f => f.Path.Text == "visit.department").Action is RandomizedResponseAction rr)
        {
            rr.Categories!.ShouldContain(o["visit"]!["department"]!.GetValue<string>());
        }
        o["visit"]!.AsObject().ContainsKey("notes").ShouldBeFalse();
    }

    private static void AssertCost(JsonNode cost, SegmentPolicy segment)
    {
        switch (segment.Fields.Single(f => f.Path.Text == "visit.cost").Action)
        {
            case LaplaceAction laplace:
                // Noised, on the clamp range's side of plausibility: within 40 noise scales of the clamped value
                // (probability of failing e^-40) — the point is it is a number and not the raw 123.45.
                var value = cost.GetValue<double>();
                var scale = (laplace.Clamp.Upper - laplace.Clamp.Lower) / laplace.Epsilon.Value;
                value.ShouldNotBe(123.45);
                Math.Abs(value - 123.45).ShouldBeLessThan(40 * scale);
                break;
            default:
                cost.GetValue<decimal>().ShouldBe(100m);
                break;
        }
    }
}
