using System.Text.Json.Nodes;

namespace StreamMasking.Core.Records;

/// <summary>
/// What segment routing and masking see of one input record. Built by the runtime from a consumed Kafka record.
/// The envelope is read, never modified, by routing and masking.
/// </summary>
public sealed class RecordEnvelope
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Creates an envelope.</summary>
    /// <param name="topic">The source topic the record was consumed from.</param>
    /// <param name="headers">UTF-8 decoded header values (last value wins for repeated keys); names are case-sensitive as in Kafka.</param>
    /// <param name="body">The parsed JSON body.</param>
    public RecordEnvelope(string topic, IReadOnlyDictionary<string, string>? headers, JsonObject body)
        : this(topic, headers, body, null)
    {
    }

    /// <summary>Creates an envelope that knows its source coordinates (required by event-level noise actions).</summary>
    /// <param name="topic">The source topic the record was consumed from.</param>
    /// <param name="headers">UTF-8 decoded header values (last value wins for repeated keys).</param>
    /// <param name="body">The parsed JSON body.</param>
    /// <param name="coordinates">Source topic, partition and offset; null when unknown (noise actions then fail closed).</param>
    public RecordEnvelope(string topic, IReadOnlyDictionary<string, string>? headers, JsonObject body, RecordCoordinates? coordinates)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(body);
        if (coordinates is { } c && (c.Topic is null || c.Partition < 0 || c.Offset < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(coordinates), "Coordinates need a topic, a partition >= 0 and an offset >= 0.");
        }

        Topic = topic;
        Headers = headers ?? NoHeaders;
        Body = body;
        Coordinates = coordinates;
    }

    /// <summary>The source topic.</summary>
    public string Topic { get; }

    /// <summary>UTF-8 decoded header values, last value wins.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The JSON body.</summary>
    public JsonObject Body { get; }

    /// <summary>Source topic, partition and offset, set by the runtime; null when unknown.</summary>
    public RecordCoordinates? Coordinates { get; }

    /// <summary>Never prints the body: record contents must not reach logs.</summary>
    public override string ToString() => Coordinates is { } c
        ? $"RecordEnvelope({c}, headers={Headers.Count})"
        : $"RecordEnvelope(topic={Topic}, headers={Headers.Count})";
}
