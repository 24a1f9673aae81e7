using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.Mechanisms;

/// <summary>The privacy parameters one numeric release is calibrated to.</summary>
public sealed record NoiseParameters
{
    /// <summary>Creates validated parameters: Laplace needs ε &gt; 0 and δ = 0; Gaussian needs ε &gt; 0 and 0 &lt; δ &lt; 1.</summary>
    public NoiseParameters(NoiseKind kind, Epsilon epsilon, Delta delta)
    {
        if (epsilon.Value <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), "Epsilon must be positive.");
        }

        if (kind == NoiseKind.Laplace && delta.Value != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "Laplace noise is pure epsilon-DP: delta must be 0.");
        }

        if (kind == NoiseKind.Gaussian && (delta.Value <= 0 || delta.Value >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "Gaussian noise needs 0 < delta < 1.");
        }

        Kind = kind;
        Epsilon = epsilon;
        Delta = delta;
    }

    /// <summary>Noise family.</summary>
    public NoiseKind Kind { get; }

    /// <summary>Privacy loss ε of the release.</summary>
    public Epsilon Epsilon { get; }

    /// <summary>Failure probability δ of the release (0 for Laplace).</summary>
    public Delta Delta { get; }

    /// <summary>Laplace parameters with budget ε.</summary>
    public static NoiseParameters Laplace(double epsilon) => new(NoiseKind.Laplace, new Epsilon(epsilon), Delta.Zero);

    /// <summary>Gaussian parameters with budget (ε, δ).</summary>
    public static NoiseParameters Gaussian(double epsilon, double delta) =>
        new(NoiseKind.Gaussian, new Epsilon(epsilon), new Delta(delta));

    /// <summary>The same family with ε and δ multiplied by <paramref name="fraction"/> (budget splitting).</summary>
    public NoiseParameters Split(double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1.0);
        return new(Kind, new Epsilon(Epsilon.Value * fraction), new Delta(Delta.Value * fraction));
    }
}
