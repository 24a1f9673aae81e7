using System.Buffers.Binary;
using System.Net.Sockets;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Tests.Integration;

/// <summary>
/// Sends one hand-encoded request over a fresh TCP connection and returns a reader positioned after the response
/// header, so version sweeps can decode every field the broker wrote at that version.
/// </summary>
internal static class RawRequest
{
    private const int CorrelationId = 7;

    public static async Task<KafkaReader> RoundTripAsync(int port, ApiKey apiKey, short version, bool flexible, Action<KafkaWriter> body)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        var writer = new KafkaWriter();
        var at = writer.ReserveInt32();
        writer.WriteInt16((short)apiKey);
        writer.WriteInt16(version);
        writer.WriteInt32(CorrelationId);
        writer.WriteNullableString("sweep", false);
        writer.WriteEmptyTaggedFields(flexible);
        body(writer);
        writer.PatchInt32(at, writer.Length - 4);
        await stream.WriteAsync(writer.WrittenMemory);
        var size = new byte[4];
        await stream.ReadExactlyAsync(size).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(payload);
        var reader = new KafkaReader(payload);
        reader.ReadInt32().ShouldBe(CorrelationId);
        reader.SkipTaggedFields(flexible);
        return reader;
    }
}
