using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StreamMasking.Core.Policy;
using StreamMasking.Host.Service;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Runtime.Secrets;

namespace StreamMasking.Host.Commands;

/// <summary>
/// <c>run</c>: the service. Configuration from appsettings.json, environment (<c>STREAMMASKING__…</c>,
/// <c>KAFKA_BOOTSTRAP_SERVERS</c>) and <c>--StreamMasking:Key=value</c> arguments. Everything is validated before
/// the host starts, Kafka included (one bounded metadata probe); any problem exits with code 2 and nothing flows.
/// <c>run</c> never starts a broker: without a Kafka address it stops and says how to set one or run the demo.
/// </summary>
internal static class RunCommand
{
    internal static Command Create()
    {
        var policy = new Option<FileInfo?>("--policy") { Description = "Policy file (overrides StreamMasking:Policy:File)." };
        var bootstrap = new Option<string?>("--bootstrap-servers") { Description = "Kafka bootstrap servers (overrides StreamMasking:Kafka:BootstrapServers and KAFKA_BOOTSTRAP_SERVERS)." };
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
            if (settings is null || !Probe(settings.Options, error))
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

    /// <summary>
    /// Validates options, loads the policy and the secret; prints every problem (of the settings, the policy and the
    /// secret together) and returns null on failure.
    /// </summary>
    internal static ServiceSettings? Prepare(StreamMaskingOptions options, TextWriter error)
    {
        // Reading the policy and the secret is I/O and stays here; every check of a setting's value is in the
        // validators. The policy is read even when settings are wrong, so one start reports every problem.
        PrivacyPolicy? policy = null;
        IReadOnlyList<PolicyDiagnostic> policyDiagnostics = [];
        if (!string.IsNullOrWhiteSpace(options.Policy.File))
        {
            var loaded = PolicyLoader.LoadFile(options.Policy.File);
            policy = loaded.IsValid ? loaded.Policy : null;
            policyDiagnostics = policy is null ? loaded.Diagnostics : [];
        }

        var errors = StreamMaskingOptionsValidator.ValidateForStart(options, policy, requireBootstrapServers: true);
        byte[]? secret = null;
        string? secretError = null;
        // Without a secret source the validator has named StreamMasking:Secrets already.
        if (!string.IsNullOrWhiteSpace(options.Secrets.MasterSecretFile) || !string.IsNullOrWhiteSpace(options.Secrets.MasterSecretEnvironmentVariable))
        {
            try
            {
                secret = MasterSecretLoader.Load(options.Secrets, Environment.GetEnvironmentVariable);
            }
            catch (StreamMaskingConfigurationException e)
            {
                secretError = e.Message;
            }
        }

        foreach (var e in errors)
        {
            error.WriteLine(e.ToString());
        }

        if (secretError is not null)
        {
            error.WriteLine(secretError);
        }

        if (!string.IsNullOrWhiteSpace(options.Policy.File) && policy is null)
        {
            foreach (var d in policyDiagnostics)
            {
                error.WriteLine(d.ToString());
            }

            error.WriteLine("The policy is invalid; refusing to start.");
        }

        if (string.IsNullOrWhiteSpace(options.Kafka.BootstrapServers))
        {
            error.WriteLine(NoKafkaHint);
        }

        if (errors.Count > 0 || secret is null || policy is null)
        {
            // A secret read for a start that does not happen is not left in memory.
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
            return null;
        }

        return new ServiceSettings(options, policy, secret, PolicyHash.Of(options.Policy.File!));
    }

    /// <summary>
    /// One bounded metadata request: an unreachable or malformed address stops here with one line naming the setting;
    /// a missing input topic is an error unless it will be created (ProvisionInputTopics) or waited for.
    /// </summary>
    internal static bool Probe(StreamMaskingOptions options, TextWriter error)
    {
        try
        {
            var missing = KafkaStartupProbe.MissingTopics(options.Kafka, options.Pipeline.InputTopics, ProbeTimeout(options));
            if (missing.Count == 0 || options.Topics.ProvisionInputTopics || options.Pipeline.WaitForInputTopics)
            {
                return true;
            }

            foreach (var topic in missing)
            {
                error.WriteLine($"{StreamMaskingOptions.SectionName}:Pipeline:InputTopics: topic '{topic}' does not exist on "
                                + $"{options.Kafka.BootstrapServers}; create it, or set {StreamMaskingOptions.SectionName}:Topics:ProvisionInputTopics=true "
                                + $"to create it, or {StreamMaskingOptions.SectionName}:Pipeline:WaitForInputTopics=true to wait for it (not ready meanwhile)");
            }

            return false;
        }
        catch (StreamMaskingConfigurationException e)
        {
            error.WriteLine(e.Message);
            return false;
        }
    }

    private const string NoKafkaHint =
        "run needs a Kafka cluster: set StreamMasking:Kafka:BootstrapServers (env STREAMMASKING__KAFKA__BOOTSTRAPSERVERS or "
        + "KAFKA_BOOTSTRAP_SERVERS, or --bootstrap-servers). To try StreamMasking without Kafka, run `streammasking demo`; "
        + "for a local broker, `streammasking broker --data-dir DIR` and point BootstrapServers at it.";

    // Bounded: long enough for a slow TLS handshake, short enough that a typo is reported at once.
    private static TimeSpan ProbeTimeout(StreamMaskingOptions options) =>
        options.Pipeline.OperationTimeout < TimeSpan.FromSeconds(10) ? options.Pipeline.OperationTimeout : TimeSpan.FromSeconds(10);
}
