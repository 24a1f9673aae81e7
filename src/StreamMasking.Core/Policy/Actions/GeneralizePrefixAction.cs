using System.Globalization;

namespace StreamMasking.Core.Policy.Actions;

/// <summary>A string is truncated to its first <paramref name="Length"/> characters (user-perceived characters).</summary>
/// <param name="Length">How many leading characters are kept; positive.</param>
public sealed record GeneralizePrefixAction(int Length) : FieldAction
{
    /// <inheritdoc />
    public override string Name => "generalize";

    /// <inheritdoc />
    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"generalize: keep the first {Length} characters");
}
