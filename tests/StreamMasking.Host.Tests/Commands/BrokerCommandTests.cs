using System.Net;
using System.Net.Sockets;
using StreamMasking.Host.Tests.Support;

namespace StreamMasking.Host.Tests.Commands;

public sealed class BrokerCommandTests
{
    [Fact]
    public async Task Broker_PortInUse_SaysSoInOneLineWithoutAStackTrace()
    {
        using var occupier = new TcpListener(IPAddress.Any, 0);
        occupier.Start();
        var port = ((IPEndPoint)occupier.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var broker = HostProcess.Start(null, "broker", "--port", port);

        (await broker.WaitAsync(TimeSpan.FromMinutes(1))).ShouldBe(2, broker.Output + broker.Error);

        var lines = broker.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.ShouldHaveSingleItem(broker.Error).ShouldBe($"broker: port {port} is already in use; choose another with --port (0 picks a free one)");
        broker.Output.ShouldNotContain("LISTENING");
    }
}
