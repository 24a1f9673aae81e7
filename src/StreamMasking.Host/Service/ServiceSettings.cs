using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Host.Service;

/// <summary>Everything the service needs, validated before the host starts (fail closed).</summary>
/// <param name="Options">Bound and validated options.</param>
/// <param name="Policy">The loaded, valid policy.</param>
/// <param name="MasterSecret">The tokenization master secret.</param>
internal sealed record ServiceSettings(StreamMaskingOptions Options, PrivacyPolicy Policy, byte[] MasterSecret)
{
    /// <summary>Without bootstrap servers the service starts the embedded local broker.</summary>
    internal bool UseEmbeddedBroker => string.IsNullOrWhiteSpace(Options.Kafka.BootstrapServers);
}
