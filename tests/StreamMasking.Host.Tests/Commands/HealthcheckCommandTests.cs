using System.Net.Sockets;
using System.Net;
using System.Text;
using StreamMasking.Host.Commands;
using static StreamMasking.Host.Tests.Support.CliRunner;

namespace StreamMasking.Host.Tests.Commands;

public sealed class HealthcheckCommandTests
{
    [Theory]
    [InlineData(200, 0)]
    [InlineData(503, 1)]
    public async Task Healthcheck_ServerAnswers_ExitCodeFollowsTheStatus(int status, int expectedExit)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = AnswerOnceAsync(listener, status);

        var (exit, _, error) = await InvokeAsync("healthcheck", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        exit.ShouldBe(expectedExit, error);
        (await server).ShouldStartWith("GET /healthz HTTP/1.1");
        if (expectedExit != 0)
        {
            error.ShouldContain("answered 503");
        }
    }

    [Fact]
    public async Task Healthcheck_NothingListening_ExitOne()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exit, _, error) = await InvokeAsync("healthcheck", "--url", $"http://127.0.0.1:{port}/healthz");

        exit.ShouldBe(1);
        error.ShouldContain("did not answer");
    }

    [Theory]
    [InlineData(null, null, "http://127.0.0.1:9464/healthz")]
    [InlineData(null, "9500", "http://127.0.0.1:9500/healthz")]
    [InlineData(9600, "9500", "http://127.0.0.1:9600/healthz")]
    [InlineData(null, "not-a-port", null)]
    public void DefaultUrl_PortFromOptionThenEnvironmentThenDefault(int? port, string? environment, string? expected) =>
        HealthcheckCommand.DefaultUrl(port, environment)?.ToString().ShouldBe(expected);

    private static async Task<string> AnswerOnceAsync(TcpListener listener, int status)
    {
        using var client = await listener.AcceptTcpClientAsync();
        using var stream = client.GetStream();
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer);
        var request = Encoding.ASCII.GetString(buffer, 0, read);
        var body = status == 200 ? "ok" : "stalled";
        var response = $"HTTP/1.1 {status} X\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
        return request;
    }
}
