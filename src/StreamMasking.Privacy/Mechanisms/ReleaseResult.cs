using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.Mechanisms;

/// <summary>One differentially private numeric release and everything a consumer needs to interpret it.</summary>
/// <param name="Value">The noisy value (an exact multiple of <paramref name="Granularity"/> before any post-processing).</param>
/// <param name="Mechanism">Mechanism name, e.g. <c>laplace-count</c> or <c>gaussian-sum</c>.</param>
/// <param name="Epsilon">ε of this release.</param>
/// <param name="Delta">δ of this release (0 for pure ε-DP).</param>
/// <param name="NoiseScale">Laplace scale b or Gaussian σ actually applied, in the value's units.</param>
/// <param name="Granularity">Lattice spacing of the noise (a power of two).</param>
/// <param name="ConfidenceInterval">Interval around <paramref name="Value"/> at the requested level.</param>
public sealed record ReleaseResult(
    double Value,
    string Mechanism,
    Epsilon Epsilon,
    Delta Delta,
    double NoiseScale,
    double Granularity,
    ConfidenceInterval ConfidenceInterval);
