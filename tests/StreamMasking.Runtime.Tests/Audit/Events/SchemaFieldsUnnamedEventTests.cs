using System.Text;
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

    [Fact]
    public void SchemaFieldsUnnamed_WritesTheContractBytes()
    {
        var segment = DpPolicy().Segments[0];

        var record = Writer().SchemaFieldsUnnamed("mask", segment, "io.example.Visit", 0x0123_4567_89ab_cdefL, ["notes", "a.b"]);

        Encoding.UTF8.GetString(record.Message.Value!).ShouldBe(
            """
            {"specversion":"1.0","id":"eb4c226547e2cac76cc72927fa952b09","source":"urn:streammasking:instance:node-1","type":"io.streammasking.schema.fields-unnamed","time":"2026-11-23T12:00:00.123Z","subject":"visits","datacontenttype":"application/json","data":{"stage":"mask","segment":"visits","writerSchema":"io.example.Visit","writerFingerprint":"0123456789abcdef","contentHash":"d1c6021358216cf16b54560b7df29346","unnamedFields":["notes","a.b"]}}
            """);
    }
}
