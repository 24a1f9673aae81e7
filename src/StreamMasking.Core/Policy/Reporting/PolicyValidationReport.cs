namespace StreamMasking.Core.Policy.Reporting;

/// <summary>What <c>policy validate FILE</c> prints and returns.</summary>
/// <param name="IsValid">True when the policy has no errors.</param>
/// <param name="Lines">Lines to print: the diagnostics (<c>file:line:col: path: message</c>) and a closing summary.</param>
/// <param name="Diagnostics">The diagnostics themselves (empty when valid).</param>
public sealed record PolicyValidationReport(bool IsValid, IReadOnlyList<string> Lines, IReadOnlyList<PolicyDiagnostic> Diagnostics)
{
    /// <summary>Process exit code: 0 when valid, 1 when not.</summary>
    public int ExitCode => IsValid ? 0 : 1;
}
