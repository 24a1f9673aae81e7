using System.Text;
using System.Text.Json;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;
using static StreamMasking.Runtime.Tests.Audit.AuditFixtures;

namespace StreamMasking.Runtime.Tests.Audit.Events;

public sealed class PolicyLoadedEventTests
{
    // The envelope around a part's data: attributes with this fixture's short source, and the "data" member.
    private const int EnvelopeBytes = 1024;

    [Fact]
    public void PolicyLoaded_SummarisesSegmentsWithoutSubject()
    {
        var policy = DpPolicy();

        var record = Writer().PolicyLoaded(policy, "mask").ShouldHaveSingleItem();
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

    [Fact]
    public void PolicyLoaded_SmallPolicy_OnePartWithThePartFieldsBeforeTheSegments()
    {
        var record = Writer().PolicyLoaded(DpPolicy(), "mask").ShouldHaveSingleItem();
        var data = (JsonElement)Decode(record).Data!;

        // The layout before parts existed, with the part fields between the policy-level fields and the segments.
        data.EnumerateObject().Select(p => p.Name).ShouldBe(["policyVersion", "policySource", "stage", "loadId", "part", "parts", "segments"]);
        data.GetProperty("loadId").GetString()!.ShouldMatch("^[0-9a-f]{32}$");
        data.GetProperty("loadId").GetString().ShouldNotBe(Decode(record).Id);
        data.GetProperty("part").GetInt32().ShouldBe(1);
        data.GetProperty("parts").GetInt32().ShouldBe(1);
    }

    [Fact]
    public void PolicyLoaded_OneSegment_OnePart()
    {
        var record = Writer().PolicyLoaded(ManySegments(1), "mask").ShouldHaveSingleItem();
        var data = (JsonElement)Decode(record).Data!;

        data.GetProperty("part").GetInt32().ShouldBe(1);
        data.GetProperty("parts").GetInt32().ShouldBe(1);
        data.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ShouldBe(["s00000"]);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(240)]
    public void PolicyLoaded_TenThousandSegments_BoundedPartsOfOneLoadInDeclaredOrder(int nameLength)
    {
        var policy = ManySegments(10_000, nameLength);

        var records = Writer().PolicyLoaded(policy, "mask");

        var events = records.Select(Decode).ToList();
        var data = events.Select(e => (JsonElement)e.Data!).ToList();
        records.Count.ShouldBeGreaterThan(1);
        data.Select(d => d.GetProperty("part").GetInt32()).ShouldBe(Enumerable.Range(1, records.Count));
        data.ShouldAllBe(d => d.GetProperty("parts").GetInt32() == records.Count);
        data.Select(d => d.GetProperty("loadId").GetString()).Distinct().ShouldHaveSingleItem()!.ShouldMatch("^[0-9a-f]{32}$");
        events.Select(e => e.Id).Distinct().Count().ShouldBe(records.Count);
        events.ShouldAllBe(e => e.Type == AuditEventTypes.PolicyLoaded && e.Subject == null);
        data.ShouldAllBe(d => d.GetProperty("policyVersion").GetString() == "many-1"
            && d.GetProperty("policySource").GetString() == "many.yaml" && d.GetProperty("stage").GetString() == "mask");
        data.SelectMany(d => d.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("name").GetString()))
            .ShouldBe(Enumerable.Range(0, 10_000).Select(i => SegmentName(i, nameLength)));
        for (var i = 0; i < records.Count; i++)
        {
            var bytes = DataBytes(data[i]);
            bytes.ShouldBeLessThanOrEqualTo(PolicyLoadedEvent.PartBytes);
            records[i].Message.Value!.Length.ShouldBeLessThanOrEqualTo(PolicyLoadedEvent.PartBytes + EnvelopeBytes);
            if (i < records.Count - 1)
            {
                // Full: the next part's first segment (and its comma) would not have fitted.
                var next = DataBytes(data[i + 1].GetProperty("segments")[0]);
                (bytes + 1 + next).ShouldBeGreaterThan(PolicyLoadedEvent.PartBytes);
            }
        }
    }

    [Fact]
    public void PolicyLoaded_SegmentLargerThanAPart_GoesOutAlone()
    {
        var policy = BigSegmentBetweenSmallOnes(aggregates: 1_000);

        var data = Writer().PolicyLoaded(policy, "mask").Select(r => (JsonElement)Decode(r).Data!).ToList();

        data.Select(d => d.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToList())
            .ShouldBe([["small-a"], ["big"], ["small-b"]]);
        DataBytes(data[1]).ShouldBeGreaterThan(PolicyLoadedEvent.PartBytes);
        data[1].GetProperty("segments")[0].GetProperty("aggregates").GetArrayLength().ShouldBe(1_000);
        data.ShouldAllBe(d => d.GetProperty("parts").GetInt32() == 3);
    }

    [Fact]
    public void PolicyLoaded_SegmentTooLargeForOneRecord_ThrowsNamingIt()
    {
        var policy = BigSegmentBetweenSmallOnes(aggregates: 3_400);

        Should.Throw<ArgumentException>(() => Writer().PolicyLoaded(policy, "mask")).Message.ShouldContain("'big'");
        var oversized = PolicyLoadedEvent.OversizedSegments(policy, "mask").ShouldHaveSingleItem();
        oversized.Segment.Name.ShouldBe("big");
        oversized.Bytes.ShouldBeGreaterThan(PolicyLoadedEvent.MaxPartBytes);
    }

    [Fact]
    public void OversizedSegments_LargeButSendableSegment_None()
    {
        PolicyLoadedEvent.OversizedSegments(BigSegmentBetweenSmallOnes(aggregates: 1_000), "mask").ShouldBeEmpty();
        PolicyLoadedEvent.OversizedSegments(DpPolicy(), "mask").ShouldBeEmpty();
    }

    private static int DataBytes(JsonElement element) => Encoding.UTF8.GetByteCount(element.GetRawText());
}
