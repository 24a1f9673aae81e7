using System.Globalization;

namespace StreamMasking.Core.Policy.Actions;

/// <summary>A JSON number is replaced by its bucket <c>[floor(v / width) * width, + width)</c>.</summary>
/// <param name="Width">Bucket width, a positive decimal.</param>
/// <param name="Output">Range string or lower bound number.</param>
public sealed record GeneralizeBucketAction(decimal Width, BucketOutput Output) : FieldAction
{
    /// <inheritdoc />
    public override string Name => "generalize";

    /// <inheritdoc />
    public override string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"generalize: numeric bucket of width {Width} written as {(Output == BucketOutput.Range ? "range" : "lower bound")}");
}
