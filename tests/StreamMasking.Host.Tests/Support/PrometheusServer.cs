using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace StreamMasking.Host.Tests.Support;

/// <summary>
/// Debian's <c>prometheus</c> as a child process: a generated configuration scraping one target on loopback every
/// second, the rule file loaded, its own temporary data directory and a free port.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    internal Uri Address { get; }

    internal HttpClient Http { get; }

    internal string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The prometheus binary on PATH, or null.</summary>
    internal static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
        .Select(d => Path.Combine(d, "prometheus"))
        .FirstOrDefault(File.Exists);

    internal static async Task<PrometheusServer> StartAsync(string binary, Uri target, string rulesFile)
    {
        var directory = Directory.CreateTempSubdirectory("sm-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {rulesFile}
            scrape_configs:
              - job_name: streammasking
                metrics_path: /metrics
                static_configs:
                  - targets: ['{target.Authority}']
            """);
        var port = FreePort.Next();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                     $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--storage.tsdb.retention.time=1h",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start prometheus");
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Eventually.WaitAsync(async () =>
        {
            process.HasExited.ShouldBeFalse("prometheus exited (does it accept the rule file?): " + server.Log);
            try
            {
                using var ready = await server.Http.GetAsync("/-/ready");
                return ready.IsSuccessStatusCode ? "ready" : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, null, "prometheus to be ready");
        return server;
    }

    /// <summary>Evaluates an instant query: (status, result series count, error).</summary>
    internal async Task<(bool Success, int Series, string? Error)> QueryAsync(string expression)
    {
        using var response = await Http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(expression));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            return (false, 0, root.TryGetProperty("error", out var e) ? e.GetString() : "unknown error");
        }

        var result = root.GetProperty("data").GetProperty("result");
        return (true, result.ValueKind == JsonValueKind.Array ? result.GetArrayLength() : 1, null);
    }

    /// <summary>Every metric name Prometheus has stored.</summary>
    internal async Task<HashSet<string>> MetricNamesAsync()
    {
        using var body = JsonDocument.Parse(await Http.GetStringAsync("/api/v1/label/__name__/values"));
        return body.RootElement.GetProperty("data").EnumerateArray().Select(n => n.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    public void Dispose()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Temporary space; the OS reclaims it.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
