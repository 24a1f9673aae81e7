using System.Text.Json;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Tests.Support;
using static StreamMasking.Runtime.Tests.Audit.AuditFixtures;

namespace StreamMasking.Runtime.Tests.Audit.Events;

public sealed class RecordsDroppedEventTests
{
    [Fact]
    public void RecordsDropped_SubjectIsSegmentWithCountsAndStripped()
    {
        var dropped = new Dictionary<string, long> { ["unit_cap_exceeded"] = 2, ["late_record"] = 5 };

        var record = Writer().RecordsDropped("mask", Segment, dropped, 7);
        var cloudEvent = Decode(record);
        var data = (JsonElement)cloudEvent.Data!;

        cloudEvent.Type.ShouldBe(AuditEventTypes.RecordsDropped);
        cloudEvent.Subject.ShouldBe(Segment);
        record.Segment.ShouldBe(Segment);
        Records.Text(record.Message.Key).ShouldBe(Segment);
        data.GetProperty("stage").GetString().ShouldBe("mask");
        data.GetProperty("segment").GetString().ShouldBe(Segment);
        data.GetProperty("dropped").GetProperty("late_record").GetInt64().ShouldBe(5);
        data.GetProperty("totalDropped").GetInt64().ShouldBe(7);
        data.GetProperty("strippedOverCap").GetInt64().ShouldBe(7);
    }

    [Fact]
    public void RecordsDropped_Misuse_Throws()
    {
        var writer = Writer();

        Should.Throw<ArgumentException>(() => writer.RecordsDropped("mask", Segment, new Dictionary<string, long> { ["x"] = -1 }, 0));
        Should.Throw<ArgumentException>(() => writer.RecordsDropped("mask", Segment, new Dictionary<string, long>(), -1));
        Should.Throw<ArgumentException>(() => writer.RecordsDropped("mask", "", new Dictionary<string, long>(), 0));
    }
}
