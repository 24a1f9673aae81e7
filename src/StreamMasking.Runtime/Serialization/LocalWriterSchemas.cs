using Avro;
using Microsoft.Extensions.Logging;

namespace StreamMasking.Runtime.Serialization;

/// <summary>
/// Schemas for single-object inputs: every <c>.avsc</c> of a directory (and its subdirectories), by the CRC-64-AVRO
/// fingerprint of its parsing canonical form, read once at start.
/// </summary>
internal sealed class LocalWriterSchemas
{
    private readonly Dictionary<long, Schema> _byFingerprint = [];

    internal LocalWriterSchemas(string directory, ILogger logger)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*.avsc", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var schema = Schema.Parse(File.ReadAllText(file));
            _byFingerprint.TryAdd(SchemaNormalization.ParsingFingerprint64(schema), schema);
        }

        logger.LocalSchemasLoaded(_byFingerprint.Count, directory);
    }

    internal Schema? Find(long fingerprint) => _byFingerprint.GetValueOrDefault(fingerprint);
}
