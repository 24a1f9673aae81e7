using StreamMasking.Core.Policy.Actions;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Core.Policy.Dp;

/// <summary>
/// What one release costs in an accountant's currency, computed the way the releases are charged: Laplace, top-k and
/// randomized response cost pure ε; Gaussian costs (ε, δ) under basic composition and, under zCDP, the exact ρ of the
/// discrete Gaussian actually sampled, L0·s²/(2m²) with s = ⌈L∞/g⌉ lattice steps and σ = m steps (Canonne, Kamath,
/// Steinke 2020), so the lattice rounding is charged.
/// </summary>
public static class DpCosts
{
    // The noise scale and lattice are data-independent: a release of 0 under a fixed key reveals them.
    private static readonly byte[] s_calibrationKey = new byte[16];

    /// <summary>The cost of one window's release of <paramref name="aggregate"/> (excluding its continual counter).</summary>
    public static PrivacyCost AggregateWindowCost(AggregatePolicy aggregate, AccountantKind accountant)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        var noise = aggregate.Noise;
        if (noise.Kind == NoiseKind.Laplace || aggregate.Kind == AggregateQuery.TopK)
        {
            return PrivacyCost.Pure(noise.Epsilon);
        }

        if (accountant != AccountantKind.Zcdp || aggregate.Kind == AggregateQuery.Mean)
        {
            return PrivacyCost.Approximate(noise.Epsilon, noise.Delta);
        }

        var bounds = new ContributionBounds(1, aggregate.MaxContributionsPerUnit);
        var random = new KeyedRandomSource(s_calibrationKey, "calibration");
        (ReleaseResult result, double lInfinity) = aggregate.Kind switch
        {
            AggregateQuery.Count => (CountMechanism.Release(random, 0, bounds, noise), (double)aggregate.MaxContributionsPerUnit),
            AggregateQuery.Sum => (
                SumMechanism.Release(random, 0, aggregate.Clamp!.Value, bounds, noise),
                aggregate.MaxContributionsPerUnit * aggregate.Clamp!.Value.MaxMagnitude),
            _ => (
                HistogramMechanism.Release(random, new Dictionary<string, long>(), aggregate.Domain, bounds, noise)[0].Result,
                (double)aggregate.MaxContributionsPerUnit),
        };
        return PrivacyCost.Zcdp(new Rho(ZcdpOfDiscreteGaussian(result, l0: 1, lInfinity)));
    }

    /// <summary>
    /// The one-off cost of a continual aggregate's counter (charged with the first window it releases), or null: the
    /// counter's per-window parameters times <c>windowsPerUnit</c> W (ε·W, or ρ·W² under zCDP), as the ledger charges it.
    /// </summary>
    public static PrivacyCost? ContinualCost(AggregatePolicy aggregate)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        if (!aggregate.Continual)
        {
            return null;
        }

        var w = (double)aggregate.WindowsPerUnit;
        return aggregate.Noise.Kind == NoiseKind.Laplace
            ? PrivacyCost.Pure(aggregate.Noise.Epsilon.Scale(w))
            : PrivacyCost.Zcdp(new Rho(Math.BitIncrement(ZcdpConversion.MaxRhoFor(aggregate.Noise.Epsilon, aggregate.Noise.Delta).Value * w * w)));
    }

    /// <summary>
    /// What one published event of <paramref name="segment"/> is charged to its unit's lifetime cap
    /// (<see cref="PrivacyUnitPolicy.EventLifetime"/>): all its noised fields composed, rounded up, in the cap's
    /// currency; null when the segment declares no such cap or noises no field.
    /// </summary>
    public static PrivacyCost? EventLifetimeCharge(SegmentPolicy segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.Privacy.Unit?.EventLifetime is not { } cap)
        {
            return null;
        }

        var accountant = segment.Privacy.Budget?.Accountant ?? AccountantKind.Basic;
        var costs = segment.Fields.Where(f => f.Action is NoiseFieldAction).Select(f => EventCost((NoiseFieldAction)f.Action, accountant)).ToList();
        return costs.Count == 0 ? null : UnitLifetimeAccount.ComposeEvent(costs, cap);
    }

    /// <summary>The cost of one event's noised field under <paramref name="accountant"/>.</summary>
    public static PrivacyCost EventCost(NoiseFieldAction action, AccountantKind accountant)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action is not GaussianAction gaussian)
        {
            return PrivacyCost.Pure(action.Epsilon);
        }

        if (accountant != AccountantKind.Zcdp)
        {
            return PrivacyCost.Approximate(gaussian.Epsilon, gaussian.Delta);
        }

        var calibration = EventNoise.Calibrate(gaussian, new KeyedRandomSource(s_calibrationKey, "calibration"));
        return PrivacyCost.Zcdp(new Rho(ZcdpOfDiscreteGaussian(calibration, 1, EventNoise.Sensitivity(gaussian.Clamp))));
    }

    private static double ZcdpOfDiscreteGaussian(ReleaseResult result, int l0, double lInfinity)
    {
        var steps = Math.Ceiling(lInfinity / result.Granularity);
        var sigmaSteps = result.NoiseScale / result.Granularity;
        return Math.BitIncrement(Math.BitIncrement(l0 * steps * steps / (2 * sigmaSteps * sigmaSteps)));
    }
}
