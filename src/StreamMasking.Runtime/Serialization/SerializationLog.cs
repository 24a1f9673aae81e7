using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Serialization;

/// <summary>Log lines of input decoding and schema registry access. Never record contents.</summary>
internal static partial class SerializationLog
{
    [LoggerMessage(LogEventIds.RegistryCallFailed, LogLevel.Warning, "Schema registry call {Operation} failed (attempt {Attempt} of {MaxAttempts}): {Cause}")]
    internal static partial void RegistryCallFailed(this ILogger logger, string operation, int attempt, int maxAttempts, string cause);

    [LoggerMessage(LogEventIds.RegistryUnavailable, LogLevel.Error, "Schema registry unavailable for {Operation} after {MaxAttempts} attempts; the stage pauses on this record until it answers")]
    internal static partial void RegistryUnavailable(this ILogger logger, string operation, int maxAttempts);

    [LoggerMessage(LogEventIds.LocalSchemasLoaded, LogLevel.Information, "Loaded {Count} Avro schemas for single-object inputs from {Directory}")]
    internal static partial void LocalSchemasLoaded(this ILogger logger, int count, string directory);

    [LoggerMessage(LogEventIds.MaskedSchemaRegistered, LogLevel.Information, "Registered the masked schema of segment {Segment} under subject {Subject} as id {SchemaId}")]
    internal static partial void MaskedSchemaRegistered(this ILogger logger, string subject, int schemaId, string segment);

    [LoggerMessage(LogEventIds.MaskedSchemaRejected, LogLevel.Error, "The schema registry refused the masked schema for subject {Subject} ({Cause}); the record is dead-lettered")]
    internal static partial void MaskedSchemaRejected(this ILogger logger, string subject, string cause);

    [LoggerMessage(LogEventIds.SchemaTagsApplied, LogLevel.Information, "Writer schema {WriterSchema} tags fields: segments now also rule {Count} tag-selected fields")]
    internal static partial void SchemaTagsApplied(this ILogger logger, string writerSchema, int count);

    [LoggerMessage(LogEventIds.SchemaTagsRefused, LogLevel.Error, "Segment {Segment} refuses writer schema {WriterSchema} ({Reason}); its records of that schema are dead-lettered")]
    internal static partial void SchemaTagsRefused(this ILogger logger, string segment, string writerSchema, string reason);

    [LoggerMessage(LogEventIds.SchemaFieldsUnnamed, LogLevel.Warning, "Segment {Segment}: writer schema {WriterSchema} has fields its rules do not name (dropped from its masked records), {Count} in all: {Fields}")]
    internal static partial void SchemaFieldsUnnamed(this ILogger logger, string segment, string writerSchema, int count, string fields);
}
