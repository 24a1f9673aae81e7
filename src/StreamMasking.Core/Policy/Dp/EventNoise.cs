using StreamMasking.Core.Policy.Actions;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Core.Policy.Dp;

/// <summary>
/// Event-level numeric noise: one clamped value is released like a sum over a single record whose values range over
/// an interval of width max − min, so the core's calibrated, granularity-safe sum mechanism applies with sensitivity
/// max − min (replacing one event's value moves it by at most that much). The output is an exact multiple of the
/// release's lattice granularity.
/// </summary>
public static class EventNoise
{
    /// <summary>The sensitivity of a value clamped to <paramref name="clamp"/>: max − min.</summary>
    public static double Sensitivity(ClampBounds clamp) => clamp.Upper - clamp.Lower;

    /// <summary>Noises <paramref name="value"/> (clamped here) with the action's mechanism; returns value, scale and granularity.</summary>
    public static ReleaseResult Release(NoiseFieldAction action, double value, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(random);
        var (clamp, noise) = action switch
        {
            LaplaceAction l => (l.Clamp, NoiseParameters.Laplace(l.Epsilon.Value)),
            GaussianAction g => (g.Clamp, NoiseParameters.Gaussian(g.Epsilon.Value, g.Delta.Value)),
            _ => throw new ArgumentException($"'{action.Name}' is not numeric noise.", nameof(action)),
        };

        // The clamp passed to the sum mechanism only states the sensitivity (its max magnitude = max − min).
        var width = new ClampBounds(0, Sensitivity(clamp));
        return SumMechanism.Release(random, clamp.Clamp(value), width, ContributionBounds.EventLevel, noise);
    }

    /// <summary>The value the mechanism actually releases: <paramref name="value"/> clamped to the action's bounds.</summary>
    internal static double Clamped(NoiseFieldAction action, double value) => action switch
    {
        LaplaceAction l => l.Clamp.Clamp(value),
        GaussianAction g => g.Clamp.Clamp(value),
        _ => throw new ArgumentException($"'{action.Name}' is not numeric noise.", nameof(action)),
    };

    internal static ReleaseResult Calibrate(NoiseFieldAction action, IRandomSource random) => Release(action, 0, random);
}
