using MathNet.Numerics.Distributions;

namespace StreamMasking.Privacy.Tests.Statistics;

/// <summary>
/// Empirical lower bound on ε from samples of a mechanism on two neighbouring inputs: an event S is chosen on a
/// pilot batch, then on a fresh batch ε ≥ ln(P̂₀(S)_lower / P̂₁(S)_upper) with Clopper–Pearson bounds. If the
/// mechanism is (ε, δ)-DP, the bound exceeds ε with probability at most <c>alpha</c> (the test's false-failure rate).
/// </summary>
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
        var events = CandidateEvents(pilotFirst, pilotSecond);

        // Choose the event (and direction) with the largest pilot ratio among those with enough mass to measure.
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

                return (c.Event, c.Swap, Score: a >= 50 ? Math.Log((a + 1.0) / (b + 1.0)) : double.NegativeInfinity);
            })
            .MaxBy(c => c.Score);

        var auditFirst = Draw(mechanismOnFirst, auditSize).Count(best.Event);
        var auditSecond = Draw(mechanismOnSecond, auditSize).Count(best.Event);
        if (best.Swap)
        {
            (auditFirst, auditSecond) = (auditSecond, auditFirst);
        }

        // (ε, δ)-DP gives P₀(S) ≤ e^ε·P₁(S) + δ, so δ is subtracted before taking the ratio.
        var lower = ClopperPearsonLower(auditFirst, auditSize, alpha / 2) - delta;
        var upper = ClopperPearsonUpper(auditSecond, auditSize, alpha / 2);
        return lower <= 0 ? 0 : Math.Log(lower / upper);
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

    private static List<Func<double, bool>> CandidateEvents(double[] first, double[] second)
    {
        var all = first.Concat(second).ToArray();
        var distinct = all.Distinct().Order().ToArray();
        var events = new List<Func<double, bool>>();
        if (distinct.Length <= 64)
        {
            foreach (var v in distinct)
            {
                events.Add(x => x == v);
            }
        }

        Array.Sort(all);
        for (var q = 1; q < 100; q++)
        {
            var threshold = all[(int)((long)q * (all.Length - 1) / 100)];
            events.Add(x => x >= threshold);
            events.Add(x => x <= threshold);
        }

        return events;
    }
}
