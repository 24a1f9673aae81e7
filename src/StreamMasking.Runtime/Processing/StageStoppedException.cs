namespace StreamMasking.Runtime.Processing;

/// <summary>A stage stopped because of a fatal Kafka error or because it was fenced by a newer instance.</summary>
public sealed class StageStoppedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StageStoppedException(string message, bool fenced, Exception? innerException = null)
        : base(message, innerException)
    {
        Fenced = fenced;
    }

    /// <summary>Creates the exception.</summary>
    public StageStoppedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public StageStoppedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StageStoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when another instance with the same transactional id took over (this one was a zombie).</summary>
    public bool Fenced { get; }
}
