namespace StreamMasking.Core.Schemas;

/// <summary>Why Avro data could not be read or written.</summary>
public enum AvroDataProblem
{
    /// <summary>The bytes are not a valid encoding under the schema (truncated, bad length, bad union index, invalid UTF-8, trailing bytes).</summary>
    Corrupt,

    /// <summary>A value has no place in the schema (a field the schema lacks, a required field missing, a wrong type).</summary>
    SchemaMismatch,
}
