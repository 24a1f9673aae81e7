using StreamMasking.Core.Policy.Parsing;

namespace StreamMasking.Core.Policy;

/// <summary>
/// Loads and validates policies. Validation collects every error (file, line, column, key path, message);
/// a policy with any error never yields a <see cref="PrivacyPolicy"/>. See docs/policy.md for the format.
/// </summary>
public static class PolicyLoader
{
    /// <summary>
    /// Policy files larger than this are refused (16 MiB). A policy is a few kilobytes; one of 10,000 segments with DP
    /// windows is about 3 MB.
    /// </summary>
    public const int MaxPolicyBytes = 16 * 1024 * 1024;

    /// <summary>Reads and validates a policy file. Diagnostics name the file as <paramref name="path"/> was given.</summary>
    public static PolicyLoadResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return Unreadable(path, "policy file not found");
            }

            if (info.Length > MaxPolicyBytes)
            {
                return Unreadable(path, $"policy file is larger than {MaxPolicyBytes} bytes");
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Unreadable(path, "cannot read policy file: " + ex.Message);
        }

        return Parse(text, path);
    }

    /// <summary>Validates policy YAML text; <paramref name="sourceName"/> names it in diagnostics.</summary>
    public static PolicyLoadResult Parse(string yaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        return PolicyParser.Parse(yaml, sourceName);
    }

    /// <summary>Loads a policy file or throws <see cref="PolicyValidationException"/> listing every diagnostic.</summary>
    public static PrivacyPolicy LoadFileOrThrow(string path)
    {
        var result = LoadFile(path);
        return result.Policy ?? throw new PolicyValidationException(path, result.Diagnostics);
    }

    private static PolicyLoadResult Unreadable(string path, string message) =>
        PolicyLoadResult.Failure([new PolicyDiagnostic(path, 1, 1, "", message)]);
}
