using System.Net.Sockets;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Metrics;

namespace StreamMasking.Host.Service.Http;

/// <summary>
/// The service's one HTTP port (Kestrel, minimal APIs): <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>, <c>/privacy</c>.
/// Every body is built from metrics, counters, budget figures and the policy text: never a record, key or noise value.
/// </summary>
internal sealed class StatusServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StatusServer(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The bound base address, e.g. <c>http://127.0.0.1:9464</c>.</summary>
    internal string Address { get; }

    /// <summary>Starts listening; throws <see cref="StreamMaskingConfigurationException"/> (one line) when the port is taken.</summary>
    internal static async Task<StatusServer> StartAsync(HttpOptions http, PipelineMetrics metrics, PrivacyPolicy policy,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Parse(http.BindAddress), http.Port));
        var app = builder.Build();
        Map(app, http, metrics, policy, time);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        // Only binding tells whether the port is free (I/O), so this check stays here and not in the options validator.
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await app.DisposeAsync();
            throw new StreamMaskingConfigurationException(
                $"{StreamMaskingOptions.SectionName}:Http:Port: {http.BindAddress}:{http.Port} is already in use; choose another port (0 picks a free one)");
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                      ?? $"http://{http.BindAddress}:{http.Port}";
        return new StatusServer(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void Map(WebApplication app, HttpOptions http, PipelineMetrics metrics, PrivacyPolicy policy, TimeProvider time)
    {
        app.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.ExportAsync(context.Response.Body, context.RequestAborted);
        });
        app.MapGet("/healthz", context => WriteReport(context, metrics.Liveness(http.LivenessTimeout), "live"));
        app.MapGet("/readyz", context => WriteReport(context, metrics.Readiness(), "ready"));
        app.MapGet("/privacy", async context =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            var document = PrivacyDocument.Build(policy, metrics.BudgetStatus(), time);
            await context.Response.WriteAsync(document.ToJsonString(Indented), context.RequestAborted);
        });
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static async Task WriteReport(HttpContext context, HealthReport report, string verdict)
    {
        context.Response.StatusCode = report.Ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new System.Text.Json.Nodes.JsonObject
        {
            [verdict] = report.Ok,
            ["reasons"] = new System.Text.Json.Nodes.JsonArray([.. report.Reasons.Select(r => (System.Text.Json.Nodes.JsonNode?)r)]),
            ["assignedPartitions"] = new System.Text.Json.Nodes.JsonObject(
                report.AssignedPartitions.OrderBy(a => a.Key, StringComparer.Ordinal)
                    .Select(a => KeyValuePair.Create(a.Key, (System.Text.Json.Nodes.JsonNode?)a.Value))),
        };
        await context.Response.WriteAsync(body.ToJsonString(Indented), context.RequestAborted);
    }
}
