namespace StreamMasking.Runtime.Configuration;

/// <summary>The HTTP endpoints of the service (<c>StreamMasking:Http</c>): metrics, health, readiness, privacy map.</summary>
public sealed class HttpOptions
{
    /// <summary>TCP port of <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c> and <c>/privacy</c>; 0 picks a free one. Default 9464.</summary>
    public int Port { get; set; } = 9464;

    /// <summary>Address to bind; the default (loopback) keeps the endpoints off the network. The container image sets 0.0.0.0.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// <c>/healthz</c> fails when a stage's poll loop made no progress for this long (default 2 minutes; it must
    /// exceed the longest blocking Kafka call, the operation timeout).
    /// </summary>
    public TimeSpan LivenessTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
