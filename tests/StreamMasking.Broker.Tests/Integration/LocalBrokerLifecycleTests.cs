using System.Net.Sockets;

namespace StreamMasking.Broker.Tests.Integration;

public sealed class LocalBrokerLifecycleTests
{
    [Fact]
    public async Task StartAsync_PortZero_ReportsBoundLoopbackAddress()
    {
        await using var broker = await LocalBroker.StartAsync();
        broker.Port.ShouldBeGreaterThan(0);
        broker.BootstrapServers.ShouldBe($"127.0.0.1:{broker.Port}");
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", broker.Port);
        client.Connected.ShouldBeTrue();
    }

    [Fact]
    public async Task StartAsync_PortInUse_ThrowsSocketException()
    {
        await using var first = await LocalBroker.StartAsync();
        await Should.ThrowAsync<SocketException>(() => LocalBroker.StartAsync(new LocalBrokerOptions { Port = first.Port }));
    }

    [Fact]
    public async Task DisposeAsync_ClosesClientConnections()
    {
        var broker = await LocalBroker.StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", broker.Port);
        await broker.DisposeAsync();
        var buffer = new byte[1];
        int read;
        try
        {
            read = await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (IOException)
        {
            read = 0; // a reset is a close as well
        }

        read.ShouldBe(0);
    }
}
