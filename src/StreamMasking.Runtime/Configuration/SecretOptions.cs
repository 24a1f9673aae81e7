namespace StreamMasking.Runtime.Configuration;

/// <summary>
/// Source of the tokenization master secret (<c>StreamMasking:Secrets</c>): base64 text of at least 32 bytes, from a
/// file (checked first) or an environment variable. There is no default secret: without one the service refuses to
/// start.
/// </summary>
public sealed class SecretOptions
{
    /// <summary>File holding the base64 master secret (a mounted Kubernetes Secret). The default is none.</summary>
    public string? MasterSecretFile { get; set; }

    /// <summary>Environment variable holding the base64 master secret. The default is <c>STREAMMASKING_MASTER_SECRET</c>.</summary>
    public string MasterSecretEnvironmentVariable { get; set; } = "STREAMMASKING_MASTER_SECRET";
}
