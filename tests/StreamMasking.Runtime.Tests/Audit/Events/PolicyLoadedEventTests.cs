using System.Text.Json;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Diagnostics;
using static StreamMasking.Runtime.Tests.Audit.AuditFixtures;

namespace StreamMasking.Runtime.Tests.Audit.Events;

public sealed class PolicyLoadedEventTests
{
    [Fact]
    public void PolicyLoaded_SummarisesSegmentsWithoutSubject()
    {
        var policy = DpPolicy();

        var record = Writer().PolicyLoaded(policy, "mask");
        var cloudEvent = Decode(record);
        var data = (JsonElement)cloudEvent.Data!;

        cloudEvent.Type.ShouldBe(AuditEventTypes.PolicyLoaded);
        cloudEvent.Subject.ShouldBeNull();
        cloudEvent.Id!.Length.ShouldBe(32);
        record.Message.Key.ShouldBeNull();
        record.Segment.ShouldBeNull();
        record.Kind.ShouldBe(OutputKind.Audit);
        data.GetProperty("policyVersion").GetString().ShouldBe("dp-1");
        data.GetProperty("policySource").GetString().ShouldBe("dp.yaml");
        data.GetProperty("stage").GetString().ShouldBe("mask");
        var segments = data.GetProperty("segments").EnumerateArray().ToList();
        segments.Select(s => s.GetProperty("name").GetString()).ShouldBe(["visits", "payments", "notes"]);

        var visits = segments[0];
        visits.GetProperty("maskedTopic").GetString().ShouldBe(policy.Segments[0].MaskedTopic);
        visits.GetProperty("privacyUnit").GetProperty("field").GetString().ShouldBe("patient.id");
        visits.GetProperty("privacyUnit").GetProperty("maxEventsPerWindow").GetInt32().ShouldBe(4);
        visits.GetProperty("privacyUnit").GetProperty("overCap").GetString().ShouldBe("strip-noised-fields");
        visits.GetProperty("window").GetProperty("sizeMs").GetInt64().ShouldBe(3_600_000);
        visits.GetProperty("window").GetProperty("graceMs").GetInt64().ShouldBe(300_000);
        visits.GetProperty("window").GetProperty("idleCloseMs").GetInt64().ShouldBe(600_000);
        visits.GetProperty("budget").GetProperty("accountant").GetString().ShouldBe("basic");
        visits.GetProperty("budget").GetProperty("perWindow").GetProperty("epsilon").GetDouble().ShouldBe(1.0);
        visits.GetProperty("budget").GetProperty("lifetime").GetProperty("delta").GetDouble().ShouldBe(1e-4);
        var aggregates = visits.GetProperty("aggregates").EnumerateArray().ToList();
        aggregates.Select(a => a.GetProperty("kind").GetString()).ShouldBe(["count", "sum", "mean", "histogram", "top-k"]);
        aggregates[0].GetProperty("continual").GetBoolean().ShouldBeTrue();
        aggregates[2].GetProperty("noise").GetString().ShouldBe("gaussian");
        aggregates[2].GetProperty("delta").GetDouble().ShouldBe(1e-7);

        var payments = segments[1];
        payments.GetProperty("budget").GetProperty("accountant").GetString().ShouldBe("zcdp");
        payments.GetProperty("budget").GetProperty("lifetime").GetProperty("rho").GetDouble().ShouldBe(5);
        payments.GetProperty("privacyUnit").GetProperty("overCap").GetString().ShouldBe("drop");
        payments.GetProperty("privacyUnit").GetProperty("lifetime").GetProperty("rho").GetDouble().ShouldBe(3);
        visits.GetProperty("privacyUnit").TryGetProperty("lifetime", out _).ShouldBeFalse();
        payments.GetProperty("window").TryGetProperty("idleCloseMs", out _).ShouldBeFalse();

        var notes = segments[2];
        notes.TryGetProperty("privacyUnit", out _).ShouldBeFalse();
        notes.TryGetProperty("window", out _).ShouldBeFalse();
        notes.TryGetProperty("budget", out _).ShouldBeFalse();
        notes.GetProperty("aggregates").GetArrayLength().ShouldBe(0);
    }
}
