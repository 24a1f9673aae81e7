namespace StreamMasking.Core.Policy;

/// <summary>The outcome of loading a policy: a policy, or every diagnostic found (never both).</summary>
public sealed class PolicyLoadResult
{
    private PolicyLoadResult(PrivacyPolicy? policy, IReadOnlyList<PolicyDiagnostic> diagnostics)
    {
        Policy = policy;
        Diagnostics = diagnostics;
    }

    /// <summary>True when the policy is valid; then <see cref="Policy"/> is set and <see cref="Diagnostics"/> is empty.</summary>
    public bool IsValid => Policy is not null;

    /// <summary>The validated policy, or null when there were errors.</summary>
    public PrivacyPolicy? Policy { get; }

    /// <summary>All errors found, in document order.</summary>
    public IReadOnlyList<PolicyDiagnostic> Diagnostics { get; }

    internal static PolicyLoadResult Success(PrivacyPolicy policy) => new(policy, []);

    internal static PolicyLoadResult Failure(IReadOnlyList<PolicyDiagnostic> diagnostics)
    {
        if (diagnostics.Count == 0)
        {
            throw new ArgumentException("A failed load needs at least one diagnostic.", nameof(diagnostics));
        }

        return new(null, diagnostics);
    }
}
