using System.Globalization;

namespace StreamMasking.Core.Policy;

/// <summary>
/// One policy error. Points at the offending YAML node (1-based line and column) and names its key path,
/// e.g. <c>segments[1].fields.age.bucket</c> (sequence indexes are 0-based). Messages quote policy text only.
/// </summary>
/// <param name="File">The policy's file/source name.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Path">Key path of the node; empty for the document root.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record PolicyDiagnostic(string File, int Line, int Column, string Path, string Message)
{
    /// <summary><c>file:line:column: path: message</c> (the path part is left out at the document root).</summary>
    public override string ToString() => Path.Length == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: {Message}")
        : string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: {Path}: {Message}");
}
