using System.Globalization;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Policy.Actions;

/// <summary>
/// Randomized response (ε-local DP): a boolean (no <see cref="Categories"/>) or one of the declared categories
/// (k-ary RR) is reported truthfully with probability e^ε/(e^ε + k − 1), else as one of the other k − 1 values.
/// Values outside the declared categories fail the record (fail closed). Where the segment declares a privacy unit the
/// response has two layers (RAPPOR): a permanent, memoized response per (unit, value) with <see cref="PermanentEpsilon"/>,
/// then an instantaneous response per report with <see cref="NoiseFieldAction.Epsilon"/>.
/// </summary>
/// <param name="Epsilon">ε per event (the instantaneous layer's ε when the segment declares a privacy unit).</param>
/// <param name="Categories">Declared categories (≥ 2, unique), or null for booleans.</param>
public sealed record RandomizedResponseAction(Epsilon Epsilon, IReadOnlyList<string>? Categories) : NoiseFieldAction(Epsilon, Delta.Zero)
{
    /// <inheritdoc />
    public override string Name => "randomized-response";

    /// <summary>
    /// <c>permanentEpsilon</c>: ε of the permanent layer, the lifetime loss per (unit, value) however many reports are
    /// made; null when not declared (it then equals <see cref="NoiseFieldAction.Epsilon"/>).
    /// </summary>
    public Epsilon? PermanentEpsilon { get; init; }

    /// <summary>ε of the permanent layer as applied: <see cref="PermanentEpsilon"/>, else <see cref="NoiseFieldAction.Epsilon"/>.</summary>
    public Epsilon PermanentEpsilonOrDefault => PermanentEpsilon ?? Epsilon;

    /// <summary>k: 2 for booleans, else the number of declared categories.</summary>
    public int CategoryCount => Categories?.Count ?? 2;

    /// <inheritdoc />
    public override string Describe() => (Categories is null
        ? string.Create(CultureInfo.InvariantCulture, $"randomized-response: boolean, ε={Epsilon.Value:R} per event")
        : string.Create(CultureInfo.InvariantCulture, $"randomized-response: {Categories.Count} declared categories, ε={Epsilon.Value:R} per event"))
        + (PermanentEpsilon is { } permanent
            ? string.Create(CultureInfo.InvariantCulture, $", permanent layer ε={permanent.Value:R} per unit and value")
            : "");

    /// <inheritdoc />
    public bool Equals(RandomizedResponseAction? other) =>
        other is not null && base.Equals(other) && PermanentEpsilon == other.PermanentEpsilon
        && (Categories is null ? other.Categories is null : other.Categories is not null && Categories.SequenceEqual(other.Categories, StringComparer.Ordinal));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), CategoryCount, PermanentEpsilon);
}
