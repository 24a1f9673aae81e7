using System.Text.Json;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using static StreamMasking.Runtime.Tests.Audit.AuditFixtures;

namespace StreamMasking.Runtime.Tests.Audit.Events;

public sealed class SchemaFieldsUnnamedEventTests
{
    [Fact]
    public void SchemaFieldsUnnamed_NamesFieldsNotValues_IdSameForEveryReportOfThePair()
    {
        var segment = DpPolicy().Segments[0];
        var record = Writer().SchemaFieldsUnnamed("mask", segment, "io.example.Visit", 0x0123_4567_89ab_cdefL, ["notes"]);
        var again = new AuditEventWriter("audit", "another-instance", TimeProvider.System)
            .SchemaFieldsUnnamed("mask", segment, "io.example.Visit", 0x0123_4567_89ab_cdefL, ["notes"]);
        var otherWriter = Writer().SchemaFieldsUnnamed("mask", segment, "io.example.Visit", 0x0123_4567_89ab_cdeeL, ["notes"]);

        var node = JsonDocument.Parse(record.Message.Value!).RootElement;
        node.GetProperty("type").GetString().ShouldBe(AuditEventTypes.SchemaFieldsUnnamed);
        node.GetProperty("subject").GetString().ShouldBe(segment.Name);
        var data = node.GetProperty("data");
        data.EnumerateObject().Select(p => p.Name).ShouldBe(["stage", "segment", "writerSchema", "writerFingerprint", "contentHash", "unnamedFields"]);
        data.GetProperty("writerFingerprint").GetString().ShouldBe("0123456789abcdef");
        data.GetProperty("unnamedFields").EnumerateArray().Select(e => e.GetString()).ShouldBe(["notes"]);
        var id = node.GetProperty("id").GetString();
        JsonDocument.Parse(again.Message.Value!).RootElement.GetProperty("id").GetString().ShouldBe(id);
        JsonDocument.Parse(otherWriter.Message.Value!).RootElement.GetProperty("id").GetString().ShouldNotBe(id);
    }
}
