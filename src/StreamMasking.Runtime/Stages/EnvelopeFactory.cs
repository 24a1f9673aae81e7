using System.Text.Json.Nodes;
using System.Text;
using Confluent.Kafka;
using StreamMasking.Core.Records;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Stages;

/// <summary>Builds the <see cref="RecordEnvelope"/> that routing and masking see.</summary>
internal static class EnvelopeFactory
{
    /// <summary>
    /// Headers are decoded as UTF-8, last value wins; StreamMasking's own <c>sm-</c> headers are left out so that
    /// match rules see only what the producer wrote.
    /// </summary>
    internal static RecordEnvelope Create(string topic, Headers? headers, JsonObject body, SourceCoordinates? source = null)
    {
        var decoded = new Dictionary<string, string>(StringComparer.Ordinal);
        if (headers is not null)
        {
            foreach (var header in headers)
            {
                if (header.Key.StartsWith(RecordHeaders.ReservedPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var bytes = header.GetValueBytes();
                decoded[header.Key] = bytes is null ? string.Empty : Encoding.UTF8.GetString(bytes);
            }
        }

        // The original coordinates key replay-stable event-level noise: a re-processed record draws the same noise.
        var coordinates = source is { } c ? new RecordCoordinates(c.Topic, c.Partition, c.Offset) : (RecordCoordinates?)null;
        return new RecordEnvelope(topic, decoded, body, coordinates);
    }
}
