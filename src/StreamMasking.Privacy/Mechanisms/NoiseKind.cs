namespace StreamMasking.Privacy.Mechanisms;

/// <summary>The additive noise family of a numeric release.</summary>
public enum NoiseKind
{
    /// <summary>Discrete Laplace on a power-of-two lattice: pure ε-DP, calibrated to L1 sensitivity.</summary>
    Laplace,

    /// <summary>Discrete Gaussian on a power-of-two lattice: (ε, δ)-DP, calibrated to L2 sensitivity.</summary>
    Gaussian,
}
