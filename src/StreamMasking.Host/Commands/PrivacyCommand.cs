using System.CommandLine;
using System.Text.Json;

namespace StreamMasking.Host.Commands;

/// <summary><c>privacy status --url URL</c>: reads a running service's <c>/privacy</c> and prints it as a table.</summary>
internal static class PrivacyCommand
{
    internal static Command Create()
    {
        var privacy = new Command("privacy", "Inspect the live privacy state of a running service.");
        var url = new Option<string>("--url")
        {
            Description = "Base address of the service's HTTP port.",
            DefaultValueFactory = _ => "http://127.0.0.1:9464",
        };
        url.Validators.Add(r =>
        {
            if (!Uri.TryCreate(r.GetValueOrDefault<string>(), UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
            {
                r.AddError("--url must be an absolute http(s) address, e.g. http://127.0.0.1:9464");
            }
        });
        var status = new Command("status", "Print each segment's budget: spent, cap and remaining per window and lifetime, suppressions, time to exhaustion.");
        status.Options.Add(url);
        status.SetAction(async (parse, ct) =>
        {
            var address = new Uri(new Uri(parse.GetValue(url)!), "/privacy");
            var error = parse.InvocationConfiguration.Error;
            string body;
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                body = await http.GetStringAsync(address, ct);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await error.WriteLineAsync($"privacy status: cannot read {address}: {e.Message}");
                return 1;
            }

            try
            {
                using var document = JsonDocument.Parse(body);
                foreach (var line in PrivacyStatusTable.Lines(document.RootElement))
                {
                    await parse.InvocationConfiguration.Output.WriteLineAsync(line);
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
            {
                await error.WriteLineAsync($"privacy status: {address} did not answer with a privacy map ({e.GetType().Name})");
                return 1;
            }

            return 0;
        });
        privacy.Subcommands.Add(status);
        return privacy;
    }
}
