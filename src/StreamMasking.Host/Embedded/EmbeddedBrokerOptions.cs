namespace StreamMasking.Runtime.Configuration;

/// <summary>The embedded local broker (<c>StreamMasking:EmbeddedBroker</c>), used only without bootstrap servers.</summary>
public sealed class EmbeddedBrokerOptions
{
    /// <summary>
    /// Directory of the embedded broker's log; empty keeps it in a fresh temporary directory that is deleted on
    /// stop. The default is empty.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>TCP port to listen on; 0 picks a free port. The default value is 0.</summary>
    public int Port { get; set; }
}
