using System.Text.Json.Nodes;
using Avro;
using StreamMasking.Core.DeadLetters;

namespace StreamMasking.Runtime.Serialization;

/// <summary>An input value decoded into the JSON model, or why it could not be.</summary>
/// <param name="Body">The record; null when it failed.</param>
/// <param name="Failure">Why it failed; null when it decoded.</param>
/// <param name="WriterSchema">The Avro writer schema (its field tags select fields for the policy); null for JSON.</param>
internal readonly record struct DecodedInput(JsonObject? Body, DeadLetterReason? Failure, Schema? WriterSchema)
{
    public static DecodedInput Failed(DeadLetterReason reason) => new(null, reason, null);
}
