using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StreamMasking.Runtime.Stages;

/// <summary>Writes masked output as compact UTF-8 JSON.</summary>
internal static class MaskedJson
{
    internal static byte[] Serialize(JsonObject body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
