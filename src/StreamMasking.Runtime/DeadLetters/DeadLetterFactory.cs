using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.DeadLetters;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.DeadLetters;

/// <summary>
/// Builds dead-letter records. The value is JSON with the reason code, stage, source coordinates, segment and field
/// path when known, policy version and time; the raw payload only when configured. The key is the source
/// coordinates (<c>topic/partition/offset</c>), so a replayed dead letter has the same key. Each dead letter also
/// logs one line without record contents.
/// </summary>
internal sealed class DeadLetterFactory
{
    private readonly DeadLetterOptions _options;
    private readonly string _policyVersion;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal DeadLetterFactory(DeadLetterOptions options, string policyVersion, TimeProvider time, ILogger logger)
    {
        _options = options;
        _policyVersion = policyVersion;
        _time = time;
        _logger = logger;
    }

    internal OutputRecord Create(DeadLetterReason reason, string stage, SourceCoordinates source,
        ReadOnlySpan<byte> rawPayload, string? segment = null, string? fieldPath = null)
    {
        var code = reason.ToCode();
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("reason", code);
            json.WriteString("stage", stage);
            json.WriteStartObject("source");
            json.WriteString("topic", source.Topic);
            json.WriteNumber("partition", source.Partition);
            json.WriteNumber("offset", source.Offset);
            json.WriteEndObject();
            if (segment is not null)
            {
                json.WriteString("segment", segment);
            }

            if (fieldPath is not null)
            {
                json.WriteString("fieldPath", fieldPath);
            }

            json.WriteString("policyVersion", _policyVersion);
            json.WriteString("timestamp", _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            if (_options.IncludeRawPayload)
            {
                json.WriteBase64String("payloadBase64", rawPayload);
            }

            json.WriteEndObject();
        }

        var headers = new Headers
        {
            { RecordHeaders.DeadLetterReason, Encoding.UTF8.GetBytes(code) },
            { RecordHeaders.PolicyVersion, Encoding.UTF8.GetBytes(_policyVersion) },
        };
        source.WriteTo(headers);
        _logger.RecordDeadLettered(code, stage, source.Topic, source.Partition, source.Offset);
        var message = new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(source.ToString()),
            Value = buffer.WrittenSpan.ToArray(),
            Headers = headers,
        };
        return new OutputRecord(_options.Topic, message, OutputKind.DeadLettered, segment, code);
    }
}
