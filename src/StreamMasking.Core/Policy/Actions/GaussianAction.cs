using System.Globalization;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Policy.Actions;

/// <summary>
/// A JSON number is clamped to <see cref="Clamp"/> and published with discrete-Gaussian noise calibrated to
/// sensitivity max − min and (<see cref="Epsilon"/>, <see cref="Delta"/>) per event, on a power-of-two lattice.
/// </summary>
/// <param name="Epsilon">ε per event.</param>
/// <param name="Delta">δ per event, in (0, 1).</param>
/// <param name="Clamp">Clamp bounds; out-of-range inputs are clamped first.</param>
public sealed record GaussianAction(Epsilon Epsilon, Delta Delta, ClampBounds Clamp) : NoiseFieldAction(Epsilon, Delta)
{
    /// <inheritdoc />
    public override string Name => "gaussian";

    /// <inheritdoc />
    public override string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"gaussian: clamp to [{Clamp.Lower:R}, {Clamp.Upper:R}], noise for ε={Epsilon.Value:R}, δ={Delta.Value:R} per event");
}
