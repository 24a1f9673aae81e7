namespace StreamMasking.Testing.SchemaRegistry;

/// <summary>
/// The registry tests talk to: a real one when <c>SCHEMA_REGISTRY_URL</c> is set (with optional
/// <c>SCHEMA_REGISTRY_BASIC_AUTH</c> = <c>user:password</c>), else a <see cref="TestSchemaRegistry"/> on loopback.
/// Use as an xunit class or collection fixture; tests name subjects with a GUID so they never collide.
/// </summary>
public sealed class SchemaRegistryEndpoint : IDisposable
{
    private readonly TestSchemaRegistry? _local;

    public SchemaRegistryEndpoint()
    {
        var external = Environment.GetEnvironmentVariable("SCHEMA_REGISTRY_URL");
        if (!string.IsNullOrWhiteSpace(external))
        {
            Url = external;
            BasicAuthUserInfo = Environment.GetEnvironmentVariable("SCHEMA_REGISTRY_BASIC_AUTH");
            return;
        }

        _local = TestSchemaRegistry.Start();
        Url = _local.Url;
    }

    /// <summary>Base URL of the registry.</summary>
    public string Url { get; }

    /// <summary><c>user:password</c> for a real registry that needs it; null otherwise.</summary>
    public string? BasicAuthUserInfo { get; }

    /// <summary>The local registry (fault injection, request counts); null against a real registry.</summary>
    public TestSchemaRegistry? Local => _local;

    /// <summary>Reason to give when skipping a test that needs <see cref="Local"/>.</summary>
    public const string LocalOnly = "needs the test registry's fault injection; SCHEMA_REGISTRY_URL points at a real registry";

    /// <summary>A subject no other test uses.</summary>
    public static string NewSubject(string stem = "test") => $"{stem}-{Guid.NewGuid():N}-value";

    public void Dispose() => _local?.Dispose();
}
