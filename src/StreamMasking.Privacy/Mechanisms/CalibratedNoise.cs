using System.Collections.Concurrent;
using MathNet.Numerics.Distributions;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Sampling;

namespace StreamMasking.Privacy.Mechanisms;

/// <summary>
/// Noise calibrated once for a query shape (L0 coordinates that may change, each by at most L∞) and then applied to
/// one or many coordinates. All noise is integer noise on a power-of-two lattice (<see cref="GranularNoise"/>), and
/// the lattice rounding is charged to the sensitivity: each coordinate moves by at most ⌈L∞/g⌉ steps.
/// </summary>
internal sealed class CalibratedNoise
{
    private const int MaxCachedShapes = 1024;

    private static readonly ConcurrentDictionary<(NoiseKind, double, double, int, double, double), CalibratedNoise> s_cache = new();

    private readonly ulong _steps;

    private CalibratedNoise(NoiseParameters parameters, double granularity, ulong steps, double halfWidth, double level)
    {
        Parameters = parameters;
        Granularity = granularity;
        _steps = steps;
        Scale = steps * granularity;
        HalfWidth = halfWidth;
        Level = level;
    }

    public NoiseParameters Parameters { get; }

    public double Granularity { get; }

    /// <summary>Laplace b or Gaussian σ actually applied.</summary>
    public double Scale { get; }

    /// <summary>Half-width of the confidence interval at <see cref="Level"/>, including lattice rounding.</summary>
    public double HalfWidth { get; }

    public double Level { get; }

    public static CalibratedNoise Create(NoiseParameters parameters, int l0, double lInfinity, double confidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var key = (parameters.Kind, parameters.Epsilon.Value, parameters.Delta.Value, l0, lInfinity, confidenceLevel);
        if (s_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var created = Calibrate(parameters, l0, lInfinity, confidenceLevel);

        // Calibration (bisection, erfc) costs microseconds and windows repeat the same shapes: keep a bounded cache.
        if (s_cache.Count >= MaxCachedShapes)
        {
            s_cache.Clear();
        }

        s_cache[key] = created;
        return created;
    }

    private static CalibratedNoise Calibrate(NoiseParameters parameters, int l0, double lInfinity, double confidenceLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(l0, 1);
        if (!(lInfinity > 0 && double.IsFinite(lInfinity)))
        {
            throw new ArgumentOutOfRangeException(nameof(lInfinity), "Sensitivity must be finite and positive.");
        }

        if (!(confidenceLevel > 0 && confidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), "Confidence level must be in (0, 1).");
        }

        var alpha = 1 - confidenceLevel;
        var epsilon = parameters.Epsilon.Value;
        if (parameters.Kind == NoiseKind.Laplace)
        {
            var granularity = GranularNoise.LaplaceGranularity(l0 * lInfinity / epsilon);
            var sensitivitySteps = l0 * Math.Ceiling(lInfinity / granularity);
            var t = Math.Ceiling(sensitivitySteps / epsilon);
            while (Math.FusedMultiplyAdd(t, epsilon, -sensitivitySteps) < 0)
            {
                t += 1;
            }

            // Exact discrete Laplace tail: P(|X| ≥ k) = 2r^k/(1+r), r = e^{−1/t}; one extra step covers float error,
            // and one more the rounding of the input to the lattice.
            var r = Math.Exp(-1 / t);
            var k = Math.Max(0, Math.Ceiling(t * Math.Log(2 / (alpha * (1 + r)))));
            return new(parameters, granularity, (ulong)t, (k + 1) * granularity, confidenceLevel);
        }

        var continuousSigma = l0 == 1
            ? AnalyticGaussian.Sigma(lInfinity, epsilon, parameters.Delta.Value)
            : Math.Sqrt(l0) * lInfinity / Math.Sqrt(2 * ZcdpConversion.MaxRhoFor(parameters.Epsilon, parameters.Delta).Value);
        var gaussianGranularity = GranularNoise.GaussianGranularity(continuousSigma);
        var stepSensitivity = (ulong)Math.Ceiling(lInfinity / gaussianGranularity);
        var start = (ulong)Math.Ceiling(continuousSigma / gaussianGranularity);
        ulong sigmaSteps;
        if (l0 == 1)
        {
            sigmaSteps = DiscreteGaussianPrivacy.CalibrateScalar(start, stepSensitivity, parameters.Epsilon, parameters.Delta);
        }
        else
        {
            // Several coordinates: the discrete Gaussian is ρ-zCDP with ρ = Δ₂²/(2m²) exactly (CKS 2020), so use the
            // accountant's zCDP → (ε, δ) conversion rather than the one-dimensional exact δ.
            var rho = ZcdpConversion.MaxRhoFor(parameters.Epsilon, parameters.Delta).Value;
            var needed = l0 * (double)stepSensitivity * stepSensitivity / (2 * rho);
            sigmaSteps = Math.Max(start, (ulong)Math.Ceiling(Math.Sqrt(needed)));
            while ((double)sigmaSteps * sigmaSteps < needed * (1 + 1e-12))
            {
                sigmaSteps++;
            }
        }

        // P(|Y| > k) ≤ 2Φ(−k/m) for the discrete Gaussian (tail bounded by the continuous one shifted one step).
        var z = Normal.InvCDF(0, 1, 1 - (alpha / 2));
        var steps = Math.Ceiling(sigmaSteps * z) + 1;
        return new(parameters, gaussianGranularity, sigmaSteps, (steps + 1) * gaussianGranularity, confidenceLevel);
    }

    public ReleaseResult Apply(IRandomSource random, double value, string mechanism)
    {
        var noisy = Parameters.Kind == NoiseKind.Laplace
            ? GranularNoise.AddLaplaceSteps(random, value, Granularity, _steps)
            : GranularNoise.AddGaussianSteps(random, value, Granularity, _steps);
        return new ReleaseResult(
            noisy,
            mechanism,
            Parameters.Epsilon,
            Parameters.Delta,
            Scale,
            Granularity,
            new ConfidenceInterval(noisy - HalfWidth, noisy + HalfWidth, Level));
    }

    public static string Name(NoiseParameters parameters, string query) =>
        (parameters.Kind == NoiseKind.Laplace ? "laplace-" : "gaussian-") + query;
}
