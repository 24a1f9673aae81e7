using StreamMasking.Privacy.Tests.Statistics;

namespace StreamMasking.Runtime.Tests.PrivacyAudit;

/// <summary>
/// Turns the observations of trials on two neighbouring inputs into an empirical lower bound on ε. The attacker's
/// candidate events are thresholds on the released value and "carries identifier τ" for every identifier that
/// recurs in some but not all pilot trials. Even-numbered trials of each side are the pilot, odd ones the audit.
/// </summary>
internal static class TrialAuditor
{
    /// <summary>False-failure rate of one audit (the bound exceeds the true ε with at most this probability).</summary>
    internal const double Alpha = 1e-3;

    internal static double EpsilonLowerBound(IReadOnlyList<Observation> first, IReadOnlyList<Observation> second, double delta = 0,
        bool withIdentifiers = true)
    {
        var pilotFirst = first.Where((_, i) => i % 2 == 0).ToList();
        var pilotSecond = second.Where((_, i) => i % 2 == 0).ToList();
        var auditFirst = first.Where((_, i) => i % 2 == 1).ToList();
        var auditSecond = second.Where((_, i) => i % 2 == 1).ToList();
        var pilot = pilotFirst.Concat(pilotSecond).ToList();
        var events = EmpiricalPrivacy.ValueEvents(pilot, o => o.Feature);
        foreach (var token in withIdentifiers ? RecurringTokens(pilot) : [])
        {
            events.Add(o => o.Tokens.Contains(token));
        }

        var minimumMass = Math.Max(10, pilotFirst.Count / 20);
        return EmpiricalPrivacy.EpsilonLowerBound(pilotFirst, pilotSecond, auditFirst, auditSecond, events, Alpha, delta, minimumMass);
    }

    /// <summary>Identifiers seen in at least 2 % and at most 98 % of the pilot trials: the ones that can group trials.</summary>
    internal static IReadOnlyList<string> RecurringTokens(IReadOnlyList<Observation> pilot)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in pilot.SelectMany(o => o.Tokens))
        {
            counts[token] = counts.GetValueOrDefault(token) + 1;
        }

        return counts.Where(c => c.Value >= 0.02 * pilot.Count && c.Value <= 0.98 * pilot.Count).Select(c => c.Key)
            .Order(StringComparer.Ordinal).ToList();
    }
}
