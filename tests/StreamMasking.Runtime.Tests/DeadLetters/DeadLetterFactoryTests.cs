using System.Text.Json;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.DeadLetters;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.DeadLetters;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Tests.Support;

namespace StreamMasking.Runtime.Tests.DeadLetters;

public sealed class DeadLetterFactoryTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Create_Default_CarriesReasonAndCoordinatesButNoPayload()
    {
        var factory = new DeadLetterFactory(new DeadLetterOptions { Topic = "dlq" }, "v9", Time, NullLogger.Instance);

        var record = factory.Create(DeadLetterReason.UnmatchedSegment, "route", new SourceCoordinates("in", 2, 41), "{\"ssn\":\"123\"}"u8);

        record.Topic.ShouldBe("dlq");
        record.Kind.ShouldBe(OutputKind.DeadLettered);
        Records.Text(record.Message.Key).ShouldBe("in/2/41");
        Records.Header(record.Message, RecordHeaders.DeadLetterReason).ShouldBe("unmatched_segment");
        using var json = JsonDocument.Parse(record.Message.Value);
        var root = json.RootElement;
        root.GetProperty("reason").GetString().ShouldBe("unmatched_segment");
        root.GetProperty("stage").GetString().ShouldBe("route");
        root.GetProperty("source").GetProperty("topic").GetString().ShouldBe("in");
        root.GetProperty("source").GetProperty("partition").GetInt32().ShouldBe(2);
        root.GetProperty("source").GetProperty("offset").GetInt64().ShouldBe(41);
        root.GetProperty("policyVersion").GetString().ShouldBe("v9");
        root.GetProperty("timestamp").GetString().ShouldBe("2026-11-23T12:00:00.000Z");
        root.TryGetProperty("payloadBase64", out _).ShouldBeFalse();
        Encoding.UTF8.GetString(record.Message.Value!).ShouldNotContain("123");
    }

    [Fact]
    public void Create_IncludeRawPayload_AddsBase64Payload()
    {
        var factory = new DeadLetterFactory(new DeadLetterOptions { IncludeRawPayload = true }, "v9", Time, NullLogger.Instance);
        var raw = "{\"ssn\":\"123\"}"u8.ToArray();

        var record = factory.Create(DeadLetterReason.FieldActionFailed, "mask", new SourceCoordinates("in", 0, 1), raw, "alpha", "patient.age");

        using var json = JsonDocument.Parse(record.Message.Value);
        json.RootElement.GetProperty("payloadBase64").GetBytesFromBase64().ShouldBe(raw);
        json.RootElement.GetProperty("segment").GetString().ShouldBe("alpha");
        json.RootElement.GetProperty("fieldPath").GetString().ShouldBe("patient.age");
    }
}
