using System.Text.RegularExpressions;

namespace StreamMasking.Host.Tests.Support;

/// <summary>
/// <c>streammasking broker --port 0 --data-dir DIR</c> as a separate OS process, for tests that kill the service
/// while the broker keeps its durable log. (The shipped command, not the Broker assembly on its own: the Host's
/// output resolves its dependencies from the ASP.NET Core shared framework, which the bare Broker assembly does not use.)
/// </summary>
internal sealed partial class BrokerCommandProcess : IDisposable
{
    private readonly HostProcess _process;

    private BrokerCommandProcess(HostProcess process, string bootstrapServers)
    {
        _process = process;
        BootstrapServers = bootstrapServers;
    }

    internal string BootstrapServers { get; }

    internal static async Task<BrokerCommandProcess> StartAsync(string dataDirectory)
    {
        var process = HostProcess.Start(null, "broker", "--port", "0", "--data-dir", dataDirectory);
        try
        {
            var address = await Eventually.WaitAsync(
                () => Task.FromResult(Listening().Match(process.Output) is { Success: true } m ? m.Groups[1].Value : null),
                process, "the broker's LISTENING line", TimeSpan.FromMinutes(1));
            return new BrokerCommandProcess(process, address);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public void Dispose() => _process.Dispose();

    [GeneratedRegex(@"^LISTENING (\S+)", RegexOptions.Multiline)]
    private static partial Regex Listening();
}
