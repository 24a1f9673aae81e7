using System.Buffers.Binary;
using System.Net.Sockets;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Tests.Integration;

/// <summary>Wire-level conformance, on a private in-process broker.</summary>
public sealed class RawProtocolTests : IAsyncLifetime
{
    private LocalBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await LocalBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    private async Task<NetworkStream> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _broker.Port);
        return client.GetStream();
    }

    private static async Task SendAsync(NetworkStream stream, short apiKey, short version, int correlationId, bool headerV2, Action<KafkaWriter>? body = null)
    {
        var writer = new KafkaWriter();
        var at = writer.ReserveInt32();
        writer.WriteInt16(apiKey);
        writer.WriteInt16(version);
        writer.WriteInt32(correlationId);
        writer.WriteNullableString("raw-test", flexible: false);
        writer.WriteEmptyTaggedFields(headerV2);
        body?.Invoke(writer);
        writer.PatchInt32(at, writer.Length - 4);
        await stream.WriteAsync(writer.WrittenMemory);
    }

    private static async Task<KafkaReader?> ReceiveAsync(NetworkStream stream)
    {
        var size = new byte[4];
        try
        {
            await stream.ReadExactlyAsync(size).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (EndOfStreamException)
        {
            return null;
        }

        var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(payload);
        return new KafkaReader(payload);
    }

    [Fact]
    public async Task ApiVersions_V0_ListsImplementedApisWithHeaderV0()
    {
        await using var stream = await ConnectAsync();
        await SendAsync(stream, 18, 0, 42, headerV2: false);
        var reader = (await ReceiveAsync(stream))!;
        reader.ReadInt32().ShouldBe(42);
        reader.ReadInt16().ShouldBe((short)0);
        var count = reader.ReadArrayCount(false);
        var keys = new Dictionary<short, (short Min, short Max)>();
        for (var i = 0; i < count; i++)
        {
            keys[reader.ReadInt16()] = (reader.ReadInt16(), reader.ReadInt16());
        }

        keys[(short)ApiKey.Produce].ShouldBe(((short)3, (short)9));
        keys[(short)ApiKey.Fetch].ShouldBe(((short)4, (short)12));
        keys[(short)ApiKey.ApiVersions].ShouldBe(((short)0, (short)4));
        keys.ShouldNotContainKey((short)ApiKey.SaslHandshake);
    }

    [Fact]
    public async Task ApiVersions_V3_IsFlexibleButResponseHeaderStaysV0()
    {
        await using var stream = await ConnectAsync();
        await SendAsync(stream, 18, 3, 7, headerV2: true, w =>
        {
            w.WriteString("test", true);
            w.WriteString("1.0", true);
            w.WriteEmptyTaggedFields(true);
        });
        var reader = (await ReceiveAsync(stream))!;
        reader.ReadInt32().ShouldBe(7);
        reader.ReadInt16().ShouldBe((short)0); // error code directly after the correlation id: no header tags
        reader.ReadArrayCount(true).ShouldBeGreaterThan(5);
    }

    [Fact]
    public async Task ApiVersions_TooNewVersion_AnswersUnsupportedVersionWithV0List()
    {
        await using var stream = await ConnectAsync();
        await SendAsync(stream, 18, 99, 5, headerV2: true, w => w.WriteEmptyTaggedFields(true));
        var reader = (await ReceiveAsync(stream))!;
        reader.ReadInt32().ShouldBe(5);
        reader.ReadInt16().ShouldBe((short)ErrorCode.UnsupportedVersion);
        reader.ReadArrayCount(false).ShouldBeGreaterThan(5);

        // The connection stays usable.
        await SendAsync(stream, 18, 0, 6, headerV2: false);
        (await ReceiveAsync(stream))!.ReadInt32().ShouldBe(6);
    }

    [Fact]
    public async Task UnknownApiKey_ClosesConnection()
    {
        await using var stream = await ConnectAsync();
        await SendAsync(stream, 999, 0, 1, headerV2: false);
        (await ReceiveAsync(stream)).ShouldBeNull();
    }

    [Fact]
    public async Task UnsupportedVersionOfOtherApi_ClosesConnection()
    {
        await using var stream = await ConnectAsync();
        await SendAsync(stream, (short)ApiKey.Fetch, 13, 1, headerV2: true);
        (await ReceiveAsync(stream)).ShouldBeNull();
    }

    [Fact]
    public async Task PipelinedRequests_AnsweredInOrder()
    {
        await using var stream = await ConnectAsync();
        for (var i = 0; i < 20; i++)
        {
            await SendAsync(stream, 18, 0, 100 + i, headerV2: false);
        }

        for (var i = 0; i < 20; i++)
        {
            (await ReceiveAsync(stream))!.ReadInt32().ShouldBe(100 + i);
        }
    }

    [Fact]
    public async Task OversizedFrame_ClosesConnection()
    {
        await using var stream = await ConnectAsync();
        var size = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(size, int.MaxValue);
        await stream.WriteAsync(size);
        (await ReceiveAsync(stream)).ShouldBeNull();
    }
}
