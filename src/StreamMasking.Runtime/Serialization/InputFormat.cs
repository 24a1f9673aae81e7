namespace StreamMasking.Runtime.Serialization;

/// <summary>How the values of one input topic are encoded.</summary>
internal enum InputFormat
{
    /// <summary>A UTF-8 JSON object (the default).</summary>
    Json,

    /// <summary>Avro in the Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro binary body.</summary>
    AvroConfluent,

    /// <summary>Avro single-object encoding: <c>C3 01</c>, 8-byte little-endian CRC-64-AVRO fingerprint, Avro binary body.</summary>
    AvroSingleObject,
}
