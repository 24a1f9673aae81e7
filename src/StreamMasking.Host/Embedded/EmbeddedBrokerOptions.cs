namespace StreamMasking.Host.Embedded;

/// <summary>The local broker of <c>demo</c> and <c>broker</c>.</summary>
internal sealed class EmbeddedBrokerOptions
{
    /// <summary>
    /// Directory of the embedded broker's log; empty keeps it in a fresh temporary directory that is deleted on
    /// stop. The default is empty.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>TCP port to listen on; 0 picks a free port. The default value is 0.</summary>
    public int Port { get; set; }
}
