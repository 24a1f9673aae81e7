using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Serialization;

/// <summary>Log lines of the Avro-encoded service topics (aggregates, audit). Never record contents.</summary>
internal static partial class OutputLog
{
    [LoggerMessage(LogEventIds.OutputSchemaRegistered, LogLevel.Information, "Registered {SchemaFile} under subject {Subject} as id {SchemaId}")]
    internal static partial void OutputSchemaRegistered(this ILogger logger, string schemaFile, string subject, int schemaId);

    [LoggerMessage(LogEventIds.OutputSchemaRejected, LogLevel.Critical, "The schema registry refused {SchemaFile} for subject {Subject} ({Cause}); the stage stops")]
    internal static partial void OutputSchemaRejected(this ILogger logger, string schemaFile, string subject, string cause);

    [LoggerMessage(LogEventIds.OutputRecordNotConforming, LogLevel.Critical, "A {RecordType} record for topic {Topic} does not conform to {SchemaFile} at {Path}; the stage stops rather than publish it")]
    internal static partial void OutputRecordNotConforming(this ILogger logger, string recordType, string topic, string schemaFile, string path);
}
