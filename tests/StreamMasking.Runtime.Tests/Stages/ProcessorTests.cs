using System.Text.Json;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Segmentation;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.DeadLetters;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Stages;
using StreamMasking.Runtime.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Stages;

public sealed class ProcessorTests : IDisposable
{
    private readonly Core.Policy.PrivacyPolicy _policy = TestPolicies.ThreeSegments("m");
    private readonly TokenKeyring _keyring = new(Enumerable.Repeat((byte)3, 32).ToArray());
    private readonly DeadLetterFactory _deadLetters = new(new DeadLetterOptions { Topic = "dlq" }, "test-7", TimeProvider.System, NullLogger.Instance);

    private RouteProcessor Route() => new(new SegmentRouter(_policy), _deadLetters, "repartition");

    private MaskProcessor Mask(bool trust = true) =>
        new(_policy, new SegmentRouter(_policy), new RecordMasker(_policy, _keyring), _deadLetters, trust, NullLogger.Instance,
            new Runtime.Audit.AuditEventWriter("audit", "test", TimeProvider.System));

    [Fact]
    public void Route_MatchedRecord_ForwardsKeyedBySegmentWithSourceCoordinates()
    {
        var context = new RecordingContext();

        Route().Process(Records.Consumed("in", 1, 7, """{"tenant":"beta","seq":1}"""), context);

        var sent = context.Sent.ShouldHaveSingleItem();
        sent.Topic.ShouldBe("repartition");
        sent.Kind.ShouldBe(OutputKind.Forwarded);
        Records.Text(sent.Message.Key).ShouldBe("beta");
        Records.Header(sent.Message, RecordHeaders.SourceOffset).ShouldBe("7");
        Records.Header(sent.Message, RecordHeaders.SourceTopic).ShouldBe("in");
    }

    [Theory]
    [InlineData("{\"tenant\":\"beta\"", "malformed_record")]
    [InlineData("[1,2]", "malformed_record")]
    [InlineData("{\"a\":1,\"a\":2}", "malformed_record")]
    [InlineData("{\"tenant\":\"omega\"}", "unmatched_segment")]
    public void Route_BadRecord_DeadLettersWithReason(string value, string reason)
    {
        var context = new RecordingContext();

        Route().Process(Records.Consumed("in", 0, 3, value), context);

        var sent = context.Sent.ShouldHaveSingleItem();
        sent.Topic.ShouldBe("dlq");
        sent.ReasonCode.ShouldBe(reason);
    }

    [Fact]
    public void Route_SpoofedSourceHeaders_Replaced()
    {
        var context = new RecordingContext();
        var headers = new Headers { { RecordHeaders.SourceOffset, "999"u8.ToArray() } };

        Route().Process(Records.Consumed("in", 0, 5, """{"tenant":"alpha"}""", headers: headers), context);

        var message = context.Sent.ShouldHaveSingleItem().Message;
        message.Headers.Count(h => h.Key == RecordHeaders.SourceOffset).ShouldBe(1);
        Records.Header(message, RecordHeaders.SourceOffset).ShouldBe("5");
    }

    [Fact]
    public void Mask_RoutedRecord_PublishesMaskedWithHeadersAndDropsUnnamedFields()
    {
        var routed = new RecordingContext();
        Route().Process(Records.Consumed("in", 2, 11,
            """{"tenant":"gamma","seq":4,"notes":"secret words","patient":{"id":"P-1","ssn":"123-45-6789","name":"Ada","age":37}}""", key: "raw-key"), routed);
        var forwarded = routed.Sent.Single().Message;
        var context = new RecordingContext();

        Mask().Process(Records.Consumed("repartition", 0, 0, Records.Text(forwarded.Value), "gamma", forwarded.Headers), context);

        var sent = context.Sent.ShouldHaveSingleItem();
        sent.Topic.ShouldBe("m.gamma");
        sent.Kind.ShouldBe(OutputKind.Published);
        sent.Message.Key.ShouldBeNull();
        Records.Header(sent.Message, RecordHeaders.Segment).ShouldBe("gamma");
        Records.Header(sent.Message, RecordHeaders.PolicyVersion).ShouldBe("test-7");
        Records.Header(sent.Message, RecordHeaders.SourceTopic).ShouldBe("in");
        Records.Header(sent.Message, RecordHeaders.SourcePartition).ShouldBe("2");
        Records.Header(sent.Message, RecordHeaders.SourceOffset).ShouldBe("11");
        var text = Records.Text(sent.Message.Value);
        text.ShouldNotContain("secret words");
        text.ShouldNotContain("Ada");
        text.ShouldNotContain("P-1");
        text.ShouldNotContain("raw-key");
        using var json = JsonDocument.Parse(text);
        json.RootElement.GetProperty("patient").GetProperty("ssn").GetString().ShouldBe("*******6789");
        json.RootElement.TryGetProperty("notes", out _).ShouldBeFalse();
    }

    [Fact]
    public void Mask_KeyNamesOtherSegment_DeadLetteredFailClosed()
    {
        var context = new RecordingContext();

        Mask(trust: false).Process(Records.Consumed("keyed", 0, 9, """{"tenant":"alpha","patient":{"ssn":"1"}}""", "beta"), context);

        var sent = context.Sent.ShouldHaveSingleItem();
        sent.Topic.ShouldBe("dlq");
        sent.ReasonCode.ShouldBe("unmatched_segment");
    }

    [Fact]
    public void Mask_UntrustedSourceHeaders_UsesOwnCoordinates()
    {
        var context = new RecordingContext();
        var headers = new Headers { { RecordHeaders.SourceTopic, "forged"u8.ToArray() }, { RecordHeaders.SourcePartition, "0"u8.ToArray() }, { RecordHeaders.SourceOffset, "1"u8.ToArray() } };

        Mask(trust: false).Process(Records.Consumed("keyed", 3, 12, """{"tenant":"alpha"}""", "alpha", headers), context);

        var message = context.Sent.ShouldHaveSingleItem().Message;
        Records.Header(message, RecordHeaders.SourceTopic).ShouldBe("keyed");
        Records.Header(message, RecordHeaders.SourceOffset).ShouldBe("12");
    }

    [Fact]
    public void Mask_FieldCannotTakeAction_DeadLetteredWithFieldPath()
    {
        var context = new RecordingContext();

        Mask(trust: false).Process(Records.Consumed("keyed", 0, 1, """{"tenant":"alpha","patient":{"age":"old"}}""", "alpha"), context);

        var sent = context.Sent.ShouldHaveSingleItem();
        sent.Topic.ShouldBe("dlq");
        sent.ReasonCode.ShouldBe("field_action_failed");
        Encoding.UTF8.GetString(sent.Message.Value!).ShouldContain("patient.age");
        Encoding.UTF8.GetString(sent.Message.Value!).ShouldNotContain("old");
    }

    public void Dispose() => _keyring.Dispose();
}
