using System.Globalization;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Policy.Actions;

/// <summary>
/// Randomized response (ε-local DP): a boolean (no <see cref="Categories"/>) or one of the declared categories
/// (k-ary RR) is reported truthfully with probability e^ε/(e^ε + k − 1), else as one of the other k − 1 values.
/// Values outside the declared categories fail the record (fail closed).
/// </summary>
/// <param name="Epsilon">ε per event.</param>
/// <param name="Categories">Declared categories (≥ 2, unique), or null for booleans.</param>
public sealed record RandomizedResponseAction(Epsilon Epsilon, IReadOnlyList<string>? Categories) : NoiseFieldAction(Epsilon, Delta.Zero)
{
    /// <inheritdoc />
    public override string Name => "randomized-response";

    /// <summary>k: 2 for booleans, else the number of declared categories.</summary>
    public int CategoryCount => Categories?.Count ?? 2;

    /// <inheritdoc />
    public override string Describe() => Categories is null
        ? string.Create(CultureInfo.InvariantCulture, $"randomized-response: boolean, ε={Epsilon.Value:R} per event")
        : string.Create(CultureInfo.InvariantCulture, $"randomized-response: {Categories.Count} declared categories, ε={Epsilon.Value:R} per event");

    /// <inheritdoc />
    public bool Equals(RandomizedResponseAction? other) =>
        other is not null && base.Equals(other)
        && (Categories is null ? other.Categories is null : other.Categories is not null && Categories.SequenceEqual(other.Categories, StringComparer.Ordinal));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), CategoryCount);
}
