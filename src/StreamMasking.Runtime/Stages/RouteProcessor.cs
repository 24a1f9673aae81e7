using System.Text;
using Confluent.Kafka;
using StreamMasking.Core.DeadLetters;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Segmentation;
using StreamMasking.Runtime.DeadLetters;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Serialization;

namespace StreamMasking.Runtime.Stages;

/// <summary>
/// Stage "route": parses each input record, assigns its segment and re-keys it by segment name into the
/// repartition topic, so that exactly one consumer of stage "mask" owns a segment. Unparseable and unmatched
/// records are dead-lettered here and never reach the repartition topic.
/// </summary>
internal sealed class RouteProcessor : IRecordProcessor
{
    internal const string StageName = StageNames.Route;

    private readonly SegmentRouter _router;
    private readonly DeadLetterFactory _deadLetters;
    private readonly string _repartitionTopic;
    private readonly InputDecoder _decoder;

    internal RouteProcessor(SegmentRouter router, DeadLetterFactory deadLetters, string repartitionTopic, InputDecoder? decoder = null)
    {
        _decoder = decoder ?? InputDecoder.Json;
        _router = router;
        _deadLetters = deadLetters;
        _repartitionTopic = repartitionTopic;
    }

    public void Process(ConsumeResult<byte[]?, byte[]?> record, IProcessorContext context)
    {
        var source = SourceCoordinates.Of(record);
        var value = record.Message.Value;
        // The value is forwarded as it came (JSON or Avro); stage mask decodes it again by its source topic's format.
        var decoded = _decoder.Decode(record.Topic, value);
        if (decoded.Body is not { } body)
        {
            context.Send(_deadLetters.Create(decoded.Failure ?? DeadLetterReason.MalformedRecord, StageName, source, value));
            return;
        }

        var route = _router.Route(EnvelopeFactory.Create(record.Topic, record.Message.Headers, body));
        if (route.Segment is not { } segment)
        {
            context.Send(_deadLetters.Create(DeadLetterReason.UnmatchedSegment, StageName, source, value));
            return;
        }

        // The producer's headers travel on (match rules may read them); our own are replaced, never trusted.
        var headers = new Headers();
        if (record.Message.Headers is not null)
        {
            foreach (var header in record.Message.Headers)
            {
                if (!header.Key.StartsWith(RecordHeaders.ReservedPrefix, StringComparison.Ordinal))
                {
                    headers.Add(header.Key, header.GetValueBytes());
                }
            }
        }

        source.WriteTo(headers);
        headers.Add(RecordHeaders.Segment, Encoding.UTF8.GetBytes(segment.Name));
        if (segment.Key.Kind == OutputKeyKind.InputKey && record.Message.Key is { } inputKey)
        {
            headers.Add(RecordHeaders.SourceKey, inputKey);
        }

        var message = new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(segment.Name),
            Value = value,
            Headers = headers,
            Timestamp = record.Message.Timestamp,
        };
        context.Send(new OutputRecord(_repartitionTopic, message, OutputKind.Forwarded, segment.Name));
    }
}
