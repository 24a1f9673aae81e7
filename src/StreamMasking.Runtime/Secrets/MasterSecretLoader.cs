using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Runtime.Secrets;

/// <summary>
/// Loads the tokenization master secret (base64, at least 32 bytes) from a file or an environment variable. Fails
/// closed: without a usable secret the service does not start. Messages name the setting, never the secret.
/// </summary>
public static class MasterSecretLoader
{
    /// <summary>Minimum secret length in bytes (256 bits, the HMAC-SHA256 key size).</summary>
    public const int MinimumBytes = 32;

    private const string Key = StreamMaskingOptions.SectionName + ":Secrets";

    /// <summary>Loads the secret; throws <see cref="StreamMaskingConfigurationException"/> when absent or unusable.</summary>
    /// <param name="options">Where to look.</param>
    /// <param name="environment">Reads an environment variable (injected for tests).</param>
    public static byte[] Load(SecretOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(options.MasterSecretFile))
        {
            var key = $"{Key}:MasterSecretFile";
            string text;
            try
            {
                text = File.ReadAllText(options.MasterSecretFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StreamMaskingConfigurationException([new OptionsError(key, $"cannot read '{options.MasterSecretFile}' ({e.GetType().Name})")]);
            }

            return Decode(text, key);
        }

        var variable = options.MasterSecretEnvironmentVariable;
        var value = string.IsNullOrWhiteSpace(variable) ? null : environment(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new StreamMaskingConfigurationException([new OptionsError(
                $"{Key}:MasterSecretEnvironmentVariable",
                $"no master secret: set environment variable {variable} or {Key}:MasterSecretFile to base64 of at least {MinimumBytes} random bytes")]);
        }

        return Decode(value, $"{Key}:MasterSecretEnvironmentVariable ({variable})");
    }

    /// <summary>A fresh random secret in the expected base64 form (for the demo and for generating one).</summary>
    public static string Generate() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(MinimumBytes));

    private static byte[] Decode(string text, string key)
    {
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new StreamMaskingConfigurationException([new OptionsError(key, "is not valid base64")]);
        }

        if (secret.Length < MinimumBytes)
        {
            throw new StreamMaskingConfigurationException([new OptionsError(key, $"decodes to {secret.Length} bytes; at least {MinimumBytes} are required")]);
        }

        return secret;
    }
}
