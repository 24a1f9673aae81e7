using System.Text.Json;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Tests.Support;
using static StreamMasking.Runtime.Tests.Audit.AuditFixtures;

namespace StreamMasking.Runtime.Tests.Audit.Events;

public sealed class DeadLetterSummaryEventTests
{
    [Fact]
    public void DeadLetterSummary_SubjectIsStageAndCountsAreTotalled()
    {
        var byReason = new Dictionary<string, long> { ["schema_mismatch"] = 2, ["late_record"] = 3 };
        var bySegment = new Dictionary<string, long> { [Segment] = 4, [""] = 1 };

        var record = Writer().DeadLetterSummary("mask", byReason, bySegment);
        var cloudEvent = Decode(record);
        var data = (JsonElement)cloudEvent.Data!;

        cloudEvent.Type.ShouldBe(AuditEventTypes.DeadLetterSummary);
        cloudEvent.Subject.ShouldBe("mask");
        Records.Text(record.Message.Key).ShouldBe("mask");
        record.Segment.ShouldBeNull();
        data.GetProperty("stage").GetString().ShouldBe("mask");
        data.GetProperty("total").GetInt64().ShouldBe(5);
        data.GetProperty("byReason").EnumerateObject().Select(p => (p.Name, p.Value.GetInt64())).ShouldBe([("late_record", 3L), ("schema_mismatch", 2L)]);
        data.GetProperty("bySegment").EnumerateObject().Select(p => (p.Name, p.Value.GetInt64())).ShouldBe([("", 1L), (Segment, 4L)]);
    }

    [Fact]
    public void DeadLetterSummary_Misuse_Throws()
    {
        var writer = Writer();

        Should.Throw<ArgumentException>(() => writer.DeadLetterSummary("", new Dictionary<string, long>(), new Dictionary<string, long>()));
        Should.Throw<ArgumentException>(() => writer.DeadLetterSummary("route", new Dictionary<string, long> { ["x"] = -1 }, new Dictionary<string, long>()));
        Should.Throw<ArgumentException>(() => writer.DeadLetterSummary("route", new Dictionary<string, long>(), new Dictionary<string, long> { ["x"] = -1 }));
    }
}
