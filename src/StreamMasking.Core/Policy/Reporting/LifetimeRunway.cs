using System.Globalization;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Policy.Reporting;

/// <summary>
/// How long a segment's lifetime cap lasts at the declared release rate: every window is released, empty ones too (a
/// window's releases do not depend on whether it saw records), so the spend per window is fixed by the policy. Computed
/// by charging each window's releases, in declared order, with the segment's own accountant, as the ledger does.
/// </summary>
/// <param name="FullWindows">Windows released in full before a release is first refused by the lifetime cap, or null
/// when the cap outlasts <see cref="Horizon"/> windows.</param>
/// <param name="FirstWindowShort">Whether the per-window cap refuses a release of the first window (which also pays
/// for continual counters).</param>
/// <param name="EveryWindowShort">Whether the per-window cap refuses a release of every later window.</param>
/// <param name="HasContinual">Whether a continual total (paid once) keeps releasing after the cap is spent.</param>
public sealed record LifetimeRunway(long? FullWindows, bool FirstWindowShort, bool EveryWindowShort, bool HasContinual)
{
    /// <summary>Windows simulated at most.</summary>
    public const long Horizon = 1_000_000;

    /// <summary>The runway of <paramref name="privacy"/>'s lifetime cap; requires a budget and aggregates.</summary>
    public static LifetimeRunway Compute(SegmentPrivacy privacy)
    {
        ArgumentNullException.ThrowIfNull(privacy);
        var budget = privacy.Budget ?? throw new ArgumentException("No budget declared.", nameof(privacy));
        var accountant = budget.CreateAccountant();
        var costs = privacy.Aggregates
            .Select(a => (Window: DpCosts.AggregateWindowCost(a, budget.Accountant), Continual: DpCosts.ContinualCost(a)))
            .ToList();

        // A continual counter is paid once, with the first window whose cap holds it (refused ones retry next window).
        var unpaid = costs.Select(c => c.Continual is not null).ToArray();
        var hasContinual = unpaid.Any(u => u);
        var lifetime = default(PrivacySpend);
        var firstShort = false;
        var everyShort = false;
        for (long w = 0; w < Horizon; w++)
        {
            var window = default(PrivacySpend);
            for (var i = 0; i < costs.Count; i++)
            {
                foreach (var (cost, continual) in unpaid[i] ? new[] { (costs[i].Window, false), (costs[i].Continual!.Value, true) } : [(costs[i].Window, false)])
                {
                    var nextWindow = window.Add(cost);
                    var nextLifetime = lifetime.Add(cost);
                    if (!accountant.IsWithin(nextWindow, budget.PerWindow))
                    {
                        firstShort |= w == 0;
                        everyShort |= w > 0;
                        continue;
                    }

                    if (!accountant.IsWithin(nextLifetime, budget.Lifetime))
                    {
                        return new LifetimeRunway(w, firstShort, everyShort, hasContinual);
                    }

                    window = nextWindow;
                    lifetime = nextLifetime;
                    unpaid[i] &= !continual;
                }
            }
        }

        return new LifetimeRunway(null, firstShort, everyShort, hasContinual);
    }

    /// <summary>One line for the risk map, e.g. <c>lifetime cap lasts 12 window(s) of 5s (1m of event time) …</c>.</summary>
    public static string Describe(LifetimeRunway runway, TimeSpan windowSize)
    {
        ArgumentNullException.ThrowIfNull(runway);
        var perWindow = runway.EveryWindowShort
            ? "; the perWindow cap is smaller than one window's releases, so some are suppressed in every window (window_cap_exceeded)"
            : runway.FirstWindowShort
                ? "; the first window's releases (continual counters included) exceed the perWindow cap, so some of them are suppressed (window_cap_exceeded)"
                : "";
        if (runway.FullWindows is not { } n)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"lifetime cap lasts more than {Horizon} windows of {PrivacyRiskMapBuilder.FormatDuration(windowSize)} at one release per window{perWindow}");
        }

        var duration = PrivacyRiskMapBuilder.FormatDuration(TimeSpan.FromTicks(checked(windowSize.Ticks * n)));
        var after = runway.HasContinual
            ? "; continual totals, paid once, keep releasing"
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"lifetime cap lasts {n} window(s) of {PrivacyRiskMapBuilder.FormatDuration(windowSize)} ({duration} of event time; empty windows are released too), "
            + $"then window releases that no longer fit are suppressed (lifetime_cap_exceeded, audited) for good{after}{perWindow}");
    }
}
