namespace StreamMasking.Core.Policy;

/// <summary>Thrown by <see cref="PolicyLoader.LoadFileOrThrow"/> for an invalid policy; the message lists every diagnostic.</summary>
public sealed class PolicyValidationException : Exception
{
    /// <summary>Creates the exception from diagnostics.</summary>
    public PolicyValidationException(string sourceName, IReadOnlyList<PolicyDiagnostic> diagnostics)
        : base(BuildMessage(sourceName, diagnostics))
    {
        Diagnostics = diagnostics;
    }

    /// <summary>Creates the exception with a message.</summary>
    public PolicyValidationException()
        : this("policy", [])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PolicyValidationException(string message)
        : base(message)
    {
        Diagnostics = [];
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public PolicyValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Diagnostics = [];
    }

    /// <summary>The diagnostics.</summary>
    public IReadOnlyList<PolicyDiagnostic> Diagnostics { get; }

    private static string BuildMessage(string sourceName, IReadOnlyList<PolicyDiagnostic> diagnostics) =>
        $"Policy '{sourceName}' is invalid ({diagnostics.Count} error(s)):" + Environment.NewLine
        + string.Join(Environment.NewLine, diagnostics.Select(d => "  " + d));
}
