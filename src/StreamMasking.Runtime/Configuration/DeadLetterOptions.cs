namespace StreamMasking.Runtime.Configuration;

/// <summary>Dead-letter options (<c>StreamMasking:DeadLetters</c>).</summary>
public sealed class DeadLetterOptions
{
    /// <summary>Topic receiving records that cannot be masked safely. The default is <c>streammasking.dlq</c>.</summary>
    public string Topic { get; set; } = "streammasking.dlq";

    /// <summary>
    /// Copy the raw input payload (base64) into the dead-letter record. Off by default because the dead-letter topic
    /// would then hold raw sensitive data. The default value is <c>false</c>.
    /// </summary>
    public bool IncludeRawPayload { get; set; }
}
