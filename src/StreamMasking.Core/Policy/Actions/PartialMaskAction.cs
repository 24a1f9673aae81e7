using System.Globalization;

namespace StreamMasking.Core.Policy.Actions;

/// <summary>
/// A string (or number, by its JSON text) keeps its first <paramref name="KeepFirst"/> and last <paramref name="KeepLast"/>
/// characters; every other character becomes <paramref name="MaskChar"/>. A value too short to hide anything is masked entirely.
/// </summary>
/// <param name="KeepFirst">Leading characters kept; zero or more.</param>
/// <param name="KeepLast">Trailing characters kept; zero or more.</param>
/// <param name="MaskChar">The replacement for each hidden character (one character).</param>
public sealed record PartialMaskAction(int KeepFirst, int KeepLast, string MaskChar) : FieldAction
{
    /// <inheritdoc />
    public override string Name => "partial";

    /// <inheritdoc />
    public override string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"partial: keep first {KeepFirst} and last {KeepLast} characters, mask the rest with '{MaskChar}'");
}
