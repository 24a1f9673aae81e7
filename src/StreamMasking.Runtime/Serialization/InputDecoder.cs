using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.DeadLetters;
using StreamMasking.Core.Schemas;
using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Runtime.Serialization;

/// <summary>
/// Turns an input value into the JSON object routing and masking read, by the format declared for its source topic
/// (<c>Pipeline:InputFormats</c>). A record that cannot be decoded is a dead letter with a precise reason; a
/// registry that cannot be reached throws <see cref="SchemaRegistryUnavailableException"/> (the loop aborts and
/// re-reads), because the record may be perfectly good.
/// </summary>
internal sealed class InputDecoder
{
    internal const byte ConfluentMagic = 0;
    internal static ReadOnlySpan<byte> SingleObjectMarker => [0xC3, 0x01];

    private readonly IReadOnlyDictionary<string, InputFormat> _formats;
    private readonly RegistryWriterSchemas? _registry;
    private readonly LocalWriterSchemas? _local;

    internal InputDecoder(IReadOnlyDictionary<string, InputFormat> formats, RegistryWriterSchemas? registry, LocalWriterSchemas? local)
    {
        _formats = formats;
        _registry = registry;
        _local = local;
    }

    /// <summary>Every topic JSON, as before input formats existed.</summary>
    internal static InputDecoder Json { get; } = new(new Dictionary<string, InputFormat>(), null, null);

    internal static InputDecoder Create(StreamMaskingOptions options, TimeSpan retryBackoff, ILogger logger)
    {
        var formats = options.Pipeline.InputFormats.ToDictionary(f => f.Key, f => InputFormatsValidator.Names[f.Value], StringComparer.Ordinal);
        var r = options.SchemaRegistry;
        var registry = formats.ContainsValue(InputFormat.AvroConfluent)
            ? new RegistryWriterSchemas(RegistryClients.Create(r), new RegistryCalls(r.MaxAttempts, retryBackoff, logger))
            : null;
        var local = formats.ContainsValue(InputFormat.AvroSingleObject) ? new LocalWriterSchemas(r.LocalSchemaDirectory, logger) : null;
        return new InputDecoder(formats, registry, local);
    }

    internal InputFormat FormatOf(string topic) => _formats.GetValueOrDefault(topic, InputFormat.Json);

    internal DecodedInput Decode(string topic, byte[]? value)
    {
        switch (FormatOf(topic))
        {
            case InputFormat.AvroConfluent:
                return DecodeConfluent(value);
            case InputFormat.AvroSingleObject:
                return DecodeSingleObject(value);
            default:
                return JsonBody.TryParse(value, out var body) ? new DecodedInput(body, null, null) : DecodedInput.Failed(DeadLetterReason.MalformedRecord);
        }
    }

    private DecodedInput DecodeConfluent(byte[]? value)
    {
        if (value is null || value.Length < 5 || value[0] != ConfluentMagic)
        {
            return DecodedInput.Failed(value is { Length: > 0 } && value[0] != ConfluentMagic ? DeadLetterReason.UnknownMagicByte : DeadLetterReason.CorruptAvro);
        }

        var id = BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(1, 4));
        var (schema, failure) = _registry!.Get(id);
        return schema is null ? DecodedInput.Failed(failure!.Value) : Body(schema, value.AsSpan(5));
    }

    private DecodedInput DecodeSingleObject(byte[]? value)
    {
        if (value is null || value.Length < 10 || !value.AsSpan(0, 2).SequenceEqual(SingleObjectMarker))
        {
            return DecodedInput.Failed(value is { Length: >= 2 } && !value.AsSpan(0, 2).SequenceEqual(SingleObjectMarker)
                ? DeadLetterReason.UnknownMagicByte
                : DeadLetterReason.CorruptAvro);
        }

        var schema = _local!.Find(BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(2, 8)));
        return schema is null ? DecodedInput.Failed(DeadLetterReason.UnknownSchemaId) : Body(schema, value.AsSpan(10));
    }

    private static DecodedInput Body(Avro.Schema schema, ReadOnlySpan<byte> body)
    {
        try
        {
            return new DecodedInput(AvroJsonDecoder.Decode(schema, body), null, schema);
        }
        catch (AvroDataException e)
        {
            return DecodedInput.Failed(e.Problem == AvroDataProblem.Corrupt ? DeadLetterReason.CorruptAvro : DeadLetterReason.AvroSchemaMismatch);
        }
    }
}
