using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Segmentation;

namespace StreamMasking.Core.Tests.Policy;

public sealed class DemoPolicyTests
{
    [Fact]
    public void LoadFile_DemoPolicy_IsValidWithFiveSegments()
    {
        var result = PolicyLoader.LoadFile(TestPolicies.RepoPath("policies", "demo.yaml"));

        result.Diagnostics.ShouldBeEmpty(string.Join("\n", result.Diagnostics));
        result.Policy!.Segments.Select(s => s.Name).ShouldBe(
            ["clinic-a.eu.visits", "clinic-a.us.visits", "clinic-b.eu.visits", "clinic-b.us.visits", "payments"]);
        result.Policy.Segments[0].MaskedTopic.ShouldBe("masked.clinic-a.eu.visits");
        result.Policy.Version.ShouldBe("demo-1");
    }

    [Fact]
    public void RouteAndMask_DemoVisit_MasksAsDeclared()
    {
        var policy = PolicyLoader.LoadFileOrThrow(TestPolicies.RepoPath("policies", "demo.yaml"));
        var record = TestPolicies.Record("""
            {"eventId":"e1","type":"visit","tenant":"clinic-b","region":"us",
             "patient":{"id":"P-1","name":"Jane Roe","ssn":"123-45-6789","birthDate":"1980-05-17","zip":"10115","age":43},
             "visit":{"at":"2026-11-23T13:45:12+01:00","department":"cardiology","diagnosis":"J45","cost":123.45,"notes":"secret"}}
            """);

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
        o["visit"]!["cost"]!.GetValue<decimal>().ShouldBe(100m);
        o["visit"]!.AsObject().ContainsKey("notes").ShouldBeFalse();
    }
}
