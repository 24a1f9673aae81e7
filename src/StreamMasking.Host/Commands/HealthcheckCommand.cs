using System.CommandLine;

namespace StreamMasking.Host.Commands;

/// <summary>
/// <c>healthcheck</c>: GETs the service's <c>/healthz</c> on loopback and exits 0 when it answers 200, 1 otherwise
/// (one line on stderr saying why). The container image's HEALTHCHECK runs it, so the runtime image needs neither
/// curl nor wget. The port is <c>--port</c>, else <c>STREAMMASKING__HTTP__PORT</c>, else 9464.
/// </summary>
internal static class HealthcheckCommand
{
    internal const int DefaultPort = 9464;
    internal const string PortEnvironmentVariable = "STREAMMASKING__HTTP__PORT";

    internal static Command Create()
    {
        var url = new Option<string?>("--url") { Description = "Health URL (default http://127.0.0.1:<port>/healthz)." };
        var port = new Option<int?>("--port") { Description = $"HTTP port of the service (default {PortEnvironmentVariable}, else {DefaultPort})." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the answer.", DefaultValueFactory = _ => 3 };
        var command = new Command("healthcheck", "Exit 0 when the local service's /healthz answers 200, 1 otherwise (container health checks).");
        command.Options.Add(url);
        command.Options.Add(port);
        command.Options.Add(timeout);
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            Uri? target;
            if (parse.GetValue(url) is { } given)
            {
                if (!Uri.TryCreate(given, UriKind.Absolute, out target) || target.Scheme is not ("http" or "https"))
                {
                    await error.WriteLineAsync($"unhealthy: --url {given} is not an http(s) URL");
                    return 1;
                }
            }
            else if ((target = DefaultUrl(parse.GetValue(port), Environment.GetEnvironmentVariable(PortEnvironmentVariable))) is null)
            {
                await error.WriteLineAsync($"unhealthy: {PortEnvironmentVariable} is not a port number");
                return 1;
            }

            return await CheckAsync(target, TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))), error, ct);
        });
        return command;
    }

    /// <summary><c>http://127.0.0.1:{port}/healthz</c>; null when the environment's port is not a number.</summary>
    internal static Uri? DefaultUrl(int? port, string? environmentPort)
    {
        var chosen = port ?? DefaultPort;
        if (port is null && !string.IsNullOrWhiteSpace(environmentPort))
        {
            if (!int.TryParse(environmentPort, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out chosen)
                || chosen is < 1 or > 65535)
            {
                return null;
            }
        }

        return new Uri($"http://127.0.0.1:{chosen}/healthz");
    }

    internal static async Task<int> CheckAsync(Uri target, TimeSpan timeout, TextWriter error, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = timeout };
        try
        {
            using var response = await http.GetAsync(target, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }

            await error.WriteLineAsync($"unhealthy: {target} answered {(int)response.StatusCode}");
            return 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"unhealthy: {target} did not answer ({e.GetType().Name})");
            return 1;
        }
    }
}
