using Confluent.Kafka;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Processing;

/// <summary>One record a processor emits into the loop's open transaction.</summary>
/// <param name="Topic">Destination topic.</param>
/// <param name="Message">Key, value and headers.</param>
/// <param name="Kind">What the record is, for accounting.</param>
/// <param name="Segment">Segment name, when known.</param>
/// <param name="ReasonCode">Dead-letter reason code, for dead letters.</param>
internal sealed record OutputRecord(
    string Topic,
    Message<byte[]?, byte[]?> Message,
    OutputKind Kind,
    string? Segment = null,
    string? ReasonCode = null);
