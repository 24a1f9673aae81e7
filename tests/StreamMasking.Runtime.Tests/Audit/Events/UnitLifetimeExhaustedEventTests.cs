using System.Text.Json;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using static StreamMasking.Runtime.Tests.Audit.AuditFixtures;

namespace StreamMasking.Runtime.Tests.Audit.Events;

public sealed class UnitLifetimeExhaustedEventTests
{
    [Fact]
    public void UnitLifetimeExhausted_CarriesSegmentPartitionReasonAndCapButNoUnit()
    {
        var cap = PrivacyCost.Pure(new Epsilon(4));
        var record = Writer().UnitLifetimeExhausted("mask", "visits", 3, AuditCodes.EventLifetimeSpent, cap);

        var node = JsonDocument.Parse(record.Message.Value!).RootElement;
        node.GetProperty("type").GetString().ShouldBe(AuditEventTypes.UnitLifetimeExhausted);
        node.GetProperty("subject").GetString().ShouldBe("visits");
        var data = node.GetProperty("data");
        data.EnumerateObject().Select(p => p.Name).ShouldBe(["stage", "segment", "partition", "reason", "lifetimeCap"]);
        data.GetProperty("partition").GetInt32().ShouldBe(3);
        data.GetProperty("reason").GetString().ShouldBe("event_lifetime_spent");
        data.GetProperty("lifetimeCap").GetProperty("epsilon").GetDouble().ShouldBe(4);
        record.Segment.ShouldBe("visits");
    }
}
