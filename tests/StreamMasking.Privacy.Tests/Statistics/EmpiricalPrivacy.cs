using MathNet.Numerics.Distributions;

namespace StreamMasking.Privacy.Tests.Statistics;

/// <summary>
/// Empirical lower bound on ε from samples of a mechanism on two neighbouring inputs: an event S is chosen on a
/// pilot batch, then on a fresh batch ε ≥ ln(P̂₀(S)_lower / P̂₁(S)_upper) with Clopper–Pearson bounds. If the
/// mechanism is (ε, δ)-DP, the bound exceeds ε with probability at most <c>alpha</c> (the test's false-failure rate).
/// </summary>
/// <remarks>
/// Also used by the end-to-end audit of the running pipeline (linked into the runtime tests), where an observation
/// is everything an observer of the output topics sees about one release, not only its value.
/// </remarks>
internal static class EmpiricalPrivacy
{
    public static double EpsilonLowerBound(
        Func<double> mechanismOnFirst,
        Func<double> mechanismOnSecond,
        int pilotSize,
        int auditSize,
        double alpha,
        double delta = 0)
    {
        var pilotFirst = Draw(mechanismOnFirst, pilotSize);
        var pilotSecond = Draw(mechanismOnSecond, pilotSize);
        var events = ValueEvents(pilotFirst.Concat(pilotSecond), x => x);
        var auditFirst = Draw(mechanismOnFirst, auditSize);
        var auditSecond = Draw(mechanismOnSecond, auditSize);
        return EpsilonLowerBound(pilotFirst, pilotSecond, auditFirst, auditSecond, events, alpha, delta);
    }

    /// <summary>
    /// The bound from samples already drawn: the event (and direction) with the largest pilot ratio among
    /// <paramref name="events"/> with at least <paramref name="minimumMass"/> pilot hits is measured on the audit
    /// samples. The audit samples must be independent of the pilot samples.
    /// </summary>
    public static double EpsilonLowerBound<T>(
        IReadOnlyList<T> pilotFirst,
        IReadOnlyList<T> pilotSecond,
        IReadOnlyList<T> auditFirst,
        IReadOnlyList<T> auditSecond,
        IReadOnlyList<Func<T, bool>> events,
        double alpha,
        double delta = 0,
        int minimumMass = 50)
    {
        ArgumentOutOfRangeException.ThrowIfZero(events.Count);
        var best = events
            .SelectMany(e => new[] { (Event: e, Swap: false), (Event: e, Swap: true) })
            .Select(c =>
            {
                var a = pilotFirst.Count(c.Event);
                var b = pilotSecond.Count(c.Event);
                if (c.Swap)
                {
                    (a, b) = (b, a);
                }

                return (c.Event, c.Swap, Score: a >= minimumMass ? Math.Log((a + 1.0) / (b + 1.0)) : double.NegativeInfinity);
            })
            .MaxBy(c => c.Score);

        var hitsFirst = auditFirst.Count(best.Event);
        var hitsSecond = auditSecond.Count(best.Event);
        var sizeFirst = auditFirst.Count;
        var sizeSecond = auditSecond.Count;
        if (best.Swap)
        {
            (hitsFirst, hitsSecond) = (hitsSecond, hitsFirst);
            (sizeFirst, sizeSecond) = (sizeSecond, sizeFirst);
        }

        // (ε, δ)-DP gives P₀(S) ≤ e^ε·P₁(S) + δ, so δ is subtracted before taking the ratio.
        var lower = ClopperPearsonLower(hitsFirst, sizeFirst, alpha / 2) - delta;
        var upper = ClopperPearsonUpper(hitsSecond, sizeSecond, alpha / 2);
        return lower <= 0 ? 0 : Math.Log(lower / upper);
    }

    /// <summary>
    /// Candidate events on a numeric feature of the observations: equality with each value (when there are at most 64
    /// distinct ones) and one-sided thresholds at every percentile of the pilot.
    /// </summary>
    public static List<Func<T, bool>> ValueEvents<T>(IEnumerable<T> pilot, Func<T, double> feature)
    {
        var all = pilot.Select(feature).ToArray();
        var distinct = all.Distinct().Order().ToArray();
        var events = new List<Func<T, bool>>();
        if (distinct.Length <= 64)
        {
            foreach (var v in distinct)
            {
                events.Add(x => feature(x) == v);
            }
        }

        Array.Sort(all);
        for (var q = 1; q < 100; q++)
        {
            var threshold = all[(int)((long)q * (all.Length - 1) / 100)];
            events.Add(x => feature(x) >= threshold);
            events.Add(x => feature(x) <= threshold);
        }

        return events;
    }

    public static double ClopperPearsonLower(int successes, int trials, double alpha) =>
        successes == 0 ? 0 : Beta.InvCDF(successes, trials - successes + 1, alpha);

    public static double ClopperPearsonUpper(int successes, int trials, double alpha) =>
        successes == trials ? 1 : Beta.InvCDF(successes + 1, trials - successes, 1 - alpha);

    private static double[] Draw(Func<double> mechanism, int count)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = mechanism();
        }

        return values;
    }
}
