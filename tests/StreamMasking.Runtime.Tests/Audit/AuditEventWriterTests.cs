using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Tests.Support;
using static StreamMasking.Runtime.Tests.Audit.AuditFixtures;

namespace StreamMasking.Runtime.Tests.Audit;

/// <summary>The envelope, the Kafka record and the id scheme, seen through the events that use them.</summary>
public sealed class AuditEventWriterTests
{
    [Fact]
    public void Release_Envelope_ParsesBackWithCloudEventsSdk()
    {
        var released = ReleaseFirstWindow(AllKinds());
        var outcome = released.Outcomes[0];

        var record = Writer().Release(outcome);
        var cloudEvent = Decode(record);

        cloudEvent.SpecVersion.ShouldBe(CloudEventsSpecVersion.V1_0);
        cloudEvent.Type.ShouldBe(AuditEventTypes.Release);
        cloudEvent.Source.ShouldBe(new Uri("urn:streammasking:instance:node-1"));
        cloudEvent.Id.ShouldBe(AuditEventWriter.DeterministicId(AuditEventTypes.Release, Segment, "v1", outcome.Key.ToString()));
        cloudEvent.Time.ShouldBe(Now);
        cloudEvent.Time!.Value.Offset.ShouldBe(TimeSpan.Zero);
        cloudEvent.Subject.ShouldBe(Segment);
        cloudEvent.DataContentType.ShouldBe("application/json");
        cloudEvent.IsValid.ShouldBeTrue();
        var data = cloudEvent.Data.ShouldBeOfType<JsonElement>();
        data.GetProperty("aggregate").GetString().ShouldBe("visits");
        data.GetProperty("releaseKey").GetString().ShouldBe(outcome.Key.ToString());
    }

    [Fact]
    public void Release_KafkaRecord_KeyedBySegmentWithContentTypeHeaderAndEventTimestamp()
    {
        var outcome = ReleaseFirstWindow(AllKinds()).Outcomes[0];

        var record = Writer().Release(outcome);

        record.Topic.ShouldBe(Topic);
        record.Kind.ShouldBe(OutputKind.Audit);
        record.Segment.ShouldBe(Segment);
        record.ReasonCode.ShouldBeNull();
        Records.Text(record.Message.Key).ShouldBe(Segment);
        Records.Header(record.Message, "content-type").ShouldBe("application/cloudevents+json; charset=utf-8");
        record.Message.Timestamp.UnixTimestampMs.ShouldBe(Now.ToUnixTimeMilliseconds());
        using var json = JsonDocument.Parse(record.Message.Value);
        json.RootElement.GetProperty("specversion").GetString().ShouldBe("1.0");
        json.RootElement.GetProperty("time").GetString().ShouldBe("2026-11-23T12:00:00.123Z");
    }

    [Fact]
    public void DeterministicIds_DifferentReleaseKeysTypesOrVersions_Differ()
    {
        var released = ReleaseFirstWindow(AllKinds());
        var writer = Writer();

        var releaseIds = released.Outcomes.Select(o => Decode(writer.Release(o)).Id).ToList();
        var debitIds = released.Outcomes.Select(o => Decode(writer.BudgetDebit(Segment, o, released.Ledger)).Id).ToList();

        releaseIds.ShouldAllBe(id => id!.Length == 32 && id.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)));
        releaseIds.Distinct().Count().ShouldBe(released.Outcomes.Count);
        releaseIds.Intersect(debitIds).ShouldBeEmpty();
        var key = released.Outcomes[0].Key.ToString();
        AuditEventWriter.DeterministicId(AuditEventTypes.Release, Segment, "v1", key)
            .ShouldNotBe(AuditEventWriter.DeterministicId(AuditEventTypes.Release, Segment, "v2", key));
        AuditEventWriter.DeterministicId(AuditEventTypes.Release, Segment, "v1", key)
            .ShouldNotBe(AuditEventWriter.DeterministicId(AuditEventTypes.Release, "other", "v1", key));
    }

    [Fact]
    public void DeterministicId_IsFirst16BytesOfSha256OverNewlineJoinedParts()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("t\ns\nv\n0/k")).AsSpan(0, 16));

        AuditEventWriter.DeterministicId("t", "s", "v", "0/k").ShouldBe(expected);
    }

    [Fact]
    public void NonReleaseEvents_GetFreshRandomIds()
    {
        var writer = Writer();
        var policy = DpPolicy();

        var ids = new[]
        {
            writer.PolicyLoaded(policy, "mask").ShouldHaveSingleItem(),
            writer.PolicyLoaded(policy, "mask").ShouldHaveSingleItem(),
            writer.DeadLetterSummary("route", new Dictionary<string, long> { ["late_record"] = 1 }, new Dictionary<string, long> { [""] = 1 }),
            writer.DeadLetterSummary("route", new Dictionary<string, long> { ["late_record"] = 1 }, new Dictionary<string, long> { [""] = 1 }),
            writer.RecordsDropped("mask", Segment, new Dictionary<string, long>(), 1),
            writer.RecordsDropped("mask", Segment, new Dictionary<string, long>(), 1),
        }.Select(r => Decode(r).Id).ToList();

        ids.Distinct().Count().ShouldBe(ids.Count);
        ids.ShouldAllBe(id => id!.Length == 32);
    }

    [Fact]
    public void Constructor_EmptyTopicOrInstance_Throws()
    {
        Should.Throw<ArgumentException>(() => new AuditEventWriter("", Instance, TimeProvider.System));
        Should.Throw<ArgumentException>(() => new AuditEventWriter(Topic, "", TimeProvider.System));
    }
}
