using Microsoft.Extensions.Configuration;
using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Host.Service;

/// <summary>Binds <see cref="StreamMaskingOptions"/> from configuration (appsettings, environment, command line).</summary>
internal static class ServiceConfiguration
{
    /// <summary>Kafka's conventional environment variable, honoured when StreamMasking:Kafka:BootstrapServers is unset.</summary>
    internal const string BootstrapEnvironmentVariable = "KAFKA_BOOTSTRAP_SERVERS";

    internal static StreamMaskingOptions Bind(IConfiguration configuration)
    {
        var options = new StreamMaskingOptions();
        configuration.GetSection(StreamMaskingOptions.SectionName).Bind(options);
        if (string.IsNullOrWhiteSpace(options.Kafka.BootstrapServers))
        {
            options.Kafka.BootstrapServers = configuration[BootstrapEnvironmentVariable];
        }

        return options;
    }
}
