using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamMasking.Core.Policy;
using StreamMasking.Host.Service;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Secrets;

namespace StreamMasking.Host.Commands;

/// <summary>
/// <c>run</c>: the service. Configuration from appsettings.json, environment (<c>STREAMMASKING__…</c>,
/// <c>KAFKA_BOOTSTRAP_SERVERS</c>) and <c>--StreamMasking:Key=value</c> arguments. Everything is validated before
/// the host starts; any problem exits with code 2 and nothing flows.
/// </summary>
internal static class RunCommand
{
    internal static Command Create()
    {
        var policy = new Option<FileInfo?>("--policy") { Description = "Policy file (overrides StreamMasking:Policy:File)." };
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "Kafka bootstrap servers (overrides configuration); omit for the embedded broker." };
        var run = new Command("run", "Run the masking service until stopped.") { TreatUnmatchedTokensAsErrors = false };
        run.Options.Add(policy);
        run.Options.Add(bootstrap);
        run.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(
                new HostApplicationBuilderSettings
                {
                    Args = parse.UnmatchedTokens.ToArray(),
                    // appsettings.json is read from beside the binary, whatever the working directory.
                    ContentRootPath = AppContext.BaseDirectory,
                });
            if (parse.GetValue(policy) is { } policyFile)
            {
                builder.Configuration[$"{StreamMaskingOptions.SectionName}:Policy:File"] = policyFile.FullName;
            }

            if (parse.GetValue(bootstrap) is { Length: > 0 } servers)
            {
                builder.Configuration[$"{StreamMaskingOptions.SectionName}:Kafka:BootstrapServers"] = servers;
            }

            var settings = Prepare(ServiceConfiguration.Bind(builder.Configuration), error);
            if (settings is null)
            {
                return 2;
            }

            builder.Services.AddSingleton(settings);
            builder.Services.AddSingleton<PipelineHostedService>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<PipelineHostedService>());
            using var host = builder.Build();
            // RunAsync disposes the host's services: keep the hosted service to read its exit code afterwards.
            var service = host.Services.GetRequiredService<PipelineHostedService>();
            await host.RunAsync(ct);
            return service.ExitCode;
        });
        return run;
    }

    /// <summary>Validates options, loads the policy and the secret; prints every problem and returns null on failure.</summary>
    internal static ServiceSettings? Prepare(StreamMaskingOptions options, TextWriter error)
    {
        var errors = StreamMaskingOptionsValidator.Validate(options, requireBootstrapServers: false);
        if (errors.Count > 0)
        {
            foreach (var e in errors)
            {
                error.WriteLine(e.ToString());
            }

            return null;
        }

        var loaded = PolicyLoader.LoadFile(options.Policy.File!);
        if (!loaded.IsValid || loaded.Policy is null)
        {
            foreach (var d in loaded.Diagnostics)
            {
                error.WriteLine(d.ToString());
            }

            error.WriteLine("The policy is invalid; refusing to start.");
            return null;
        }

        try
        {
            var secret = MasterSecretLoader.Load(options.Secrets, Environment.GetEnvironmentVariable);
            return new ServiceSettings(options, loaded.Policy, secret);
        }
        catch (StreamMaskingConfigurationException e)
        {
            error.WriteLine(e.Message);
            return null;
        }
    }
}
