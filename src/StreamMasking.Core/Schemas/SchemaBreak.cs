namespace StreamMasking.Core.Schemas;

/// <summary>
/// One place where a reader schema cannot read data of a writer schema (found by <see cref="MaskedSchemaCompatibility"/>).
/// </summary>
/// <param name="Path">
/// The dotted field path from the top record (<c>payment.amount</c>); <c>[]</c> marks array items and <c>{}</c> map
/// values (<c>lines[].sku</c>); <see cref="MaskedSchemaCompatibility.RootPath"/> for the top record itself.
/// </param>
/// <param name="Problem">What changed, in plain words: <c>was double, now string</c>.</param>
public sealed record SchemaBreak(string Path, string Problem)
{
    /// <summary>The consequence every break has, as printed after the problem.</summary>
    public const string Consequence = "readers of the new schema cannot read old records";

    /// <summary><c>path: problem: consequence</c>, with <paramref name="cause"/> in parentheses after the problem when given.</summary>
    public string Describe(string? cause = null) =>
        cause is null ? $"{Path}: {Problem}: {Consequence}" : $"{Path}: {Problem} ({cause}): {Consequence}";

    /// <inheritdoc />
    public override string ToString() => Describe();
}
