using System.Globalization;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Policy.Actions;

/// <summary>
/// A JSON number is clamped to <see cref="Clamp"/> and published with Laplace noise calibrated to sensitivity
/// max − min and <see cref="Epsilon"/> (ε-DP per event), on a power-of-two lattice (granularity-safe).
/// </summary>
/// <param name="Epsilon">ε per event.</param>
/// <param name="Clamp">Clamp bounds; out-of-range inputs are clamped first.</param>
public sealed record LaplaceAction(Epsilon Epsilon, ClampBounds Clamp) : NoiseFieldAction(Epsilon, Delta.Zero)
{
    /// <inheritdoc />
    public override string Name => "laplace";

    /// <inheritdoc />
    public override string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"laplace: clamp to [{Clamp.Lower:R}, {Clamp.Upper:R}], noise for ε={Epsilon.Value:R} per event");
}
