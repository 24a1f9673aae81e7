using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Host.Service;

/// <summary>Everything the service needs, validated before the host starts (fail closed).</summary>
/// <param name="Options">Bound and validated options (bootstrap servers included: <c>run</c> never starts a broker).</param>
/// <param name="Policy">The loaded, valid policy.</param>
/// <param name="MasterSecret">The tokenization master secret.</param>
/// <param name="PolicyContentHash">Hex prefix of the SHA-256 of the policy file (<c>streammasking_policy_info</c>).</param>
internal sealed record ServiceSettings(StreamMaskingOptions Options, PrivacyPolicy Policy, byte[] MasterSecret, string PolicyContentHash);
