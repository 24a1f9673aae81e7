using System.Net;
using System.Net.Sockets;

namespace StreamMasking.Host.Tests.Support;

/// <summary>A loopback TCP port that was free a moment ago.</summary>
internal static class FreePort
{
    internal static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
