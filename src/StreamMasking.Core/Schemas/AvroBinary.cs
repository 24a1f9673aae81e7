using Avro;
using Avro.Generic;
using Avro.IO;

namespace StreamMasking.Core.Schemas;

/// <summary>Avro binary encoding (no framing) of generic data with Apache.Avro's writer.</summary>
public static class AvroBinary
{
    /// <summary>Encodes <paramref name="datum"/> under <paramref name="schema"/>.</summary>
    public static byte[] Write(Schema schema, object? datum)
    {
        ArgumentNullException.ThrowIfNull(schema);
        using var stream = new MemoryStream();
        new GenericDatumWriter<object?>(schema).Write(datum, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
