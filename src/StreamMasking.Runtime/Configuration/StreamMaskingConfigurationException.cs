namespace StreamMasking.Runtime.Configuration;

/// <summary>Thrown at start when the configuration is invalid; the message lists every bad key.</summary>
public sealed class StreamMaskingConfigurationException : Exception
{
    /// <summary>Creates the exception from the errors found.</summary>
    public StreamMaskingConfigurationException(IReadOnlyList<OptionsError> errors)
        : base("Invalid StreamMasking configuration:" + Environment.NewLine
               + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with a single message.</summary>
    public StreamMaskingConfigurationException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public StreamMaskingConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Creates the exception without details.</summary>
    public StreamMaskingConfigurationException()
    {
        Errors = [];
    }

    /// <summary>The invalid settings.</summary>
    public IReadOnlyList<OptionsError> Errors { get; }
}
