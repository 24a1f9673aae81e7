namespace StreamMasking.Runtime.Configuration;

/// <summary>Policy options (<c>StreamMasking:Policy</c>).</summary>
public sealed class PolicyOptions
{
    /// <summary>Path of the YAML privacy policy. Required; the default is empty.</summary>
    public string? File { get; set; }
}
