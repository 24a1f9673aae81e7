namespace StreamMasking.Runtime.Configuration;

/// <summary>One invalid setting: the full configuration key and what is wrong with it.</summary>
/// <param name="Key">Configuration key, e.g. <c>StreamMasking:Pipeline:InputTopics</c>.</param>
/// <param name="Message">What is wrong, without the secret or record values.</param>
public sealed record OptionsError(string Key, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Key}: {Message}";
}
