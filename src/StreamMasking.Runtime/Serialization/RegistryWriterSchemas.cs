using System.Collections.Concurrent;
using Confluent.SchemaRegistry;
using StreamMasking.Core.DeadLetters;

namespace StreamMasking.Runtime.Serialization;

/// <summary>
/// Writer schemas by registry id. A schema id names one schema forever, so a parsed schema is cached for the life
/// of the process (the registry client caches the text too); an unknown id is asked again next time, since the
/// producer may register it later.
/// </summary>
internal sealed class RegistryWriterSchemas(ISchemaRegistryClient client, RegistryCalls calls)
{
    private readonly ConcurrentDictionary<int, Avro.Schema> _byId = new();

    internal (Avro.Schema? Schema, DeadLetterReason? Failure) Get(int id)
    {
        if (_byId.TryGetValue(id, out var cached))
        {
            return (cached, null);
        }

        Schema schema;
        try
        {
            schema = calls.Run("GetSchema", () => client.GetSchemaAsync(id));
        }
        catch (SchemaRegistryException e) when ((int)e.Status == 404 || e.ErrorCode == 40403)
        {
            return (null, DeadLetterReason.UnknownSchemaId);
        }
        catch (SchemaRegistryException)
        {
            // Another answer about the request itself (e.g. 422): this record's id cannot be served.
            return (null, DeadLetterReason.UnknownSchemaId);
        }

        if (schema.SchemaType != SchemaType.Avro)
        {
            return (null, DeadLetterReason.AvroSchemaMismatch);
        }

        Avro.Schema? parsed;
        try
        {
            parsed = Avro.Schema.Parse(schema.SchemaString);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The registry holds text that is not a usable Avro schema: no record written with it can be read.
            parsed = null;
        }

        return parsed is null ? (null, DeadLetterReason.AvroSchemaMismatch) : (_byId.GetOrAdd(id, parsed), null);
    }
}
