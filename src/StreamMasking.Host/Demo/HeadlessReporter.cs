using System.Globalization;
using StreamMasking.Core.Policy;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Host.Demo;

/// <summary>
/// <c>demo --headless</c>: a plain summary line every two seconds, the first masked record of each segment and one
/// line per differentially private release as it becomes visible, for CI logs and terminals without live rendering.
/// </summary>
internal static class HeadlessReporter
{
    internal static async Task RunAsync(DemoState state, TextWriter output, CancellationToken cancellationToken)
    {
        var printed = new HashSet<string>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2), state.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await output.WriteLineAsync(Summary(state));
                foreach (var (segment, (_, latest)) in state.Reader.Snapshot())
                {
                    if (printed.Add(segment))
                    {
                        await output.WriteLineAsync($"sample [{segment}] {latest}");
                    }
                }

                await ReportReleasesAsync(state, output);
                await output.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by Ctrl-C or --duration.
        }
    }

    /// <summary>Prints one line per release that became visible since the last call.</summary>
    internal static async Task ReportReleasesAsync(DemoState state, TextWriter output)
    {
        while (state.Releases.TryTakeNew(out var release))
        {
            await output.WriteLineAsync(ReleaseLine(release));
        }
    }

    /// <summary>
    /// One release: <c>release [clinic-a.eu.visits] visits window 16:07:05Z: 37.2 ± 15.0 (ε=0.2)</c>; a running total adds its step.
    /// </summary>
    internal static string ReleaseLine(ReleaseView release)
    {
        var step = release.Step is { } s ? string.Create(CultureInfo.InvariantCulture, $" step {s}") : string.Empty;
        var cost = release.Rho is { } rho
            ? string.Create(CultureInfo.InvariantCulture, $"ρ={rho:G4}")
            : string.Create(CultureInfo.InvariantCulture, $"ε={release.Epsilon:G4}");
        return string.Create(CultureInfo.InvariantCulture,
            $"release [{release.Segment}] {release.Label} window {release.WindowStart:HH:mm:ss}Z{step}: {release.Describe()} ({cost})");
    }

    internal static string Summary(DemoState state)
    {
        var s = state.Counters.Snapshot();
        var perSegment = string.Join(' ', state.Policy.Segments.Select(seg =>
            $"{seg.Name}={s.RoutedBySegment.GetValueOrDefault(seg.Name)}/{s.PublishedBySegment.GetValueOrDefault(seg.Name)}"));
        var reasons = string.Join(' ', s.DeadLettersByReason.Select(r => $"{r.Key}={r.Value}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"[{state.Elapsed.TotalSeconds:F0}s] generated={state.Generator.Produced} consumed={s.Consumed} published={s.Published} "
            + $"dead-lettered={s.DeadLettered} dropped={s.Dropped} in-flight={s.InFlight} balanced={(s.IsBalanced ? "yes" : "no")} "
            + $"transactions={s.CommittedTransactions}/{s.AbortedTransactions} releases={s.Releases} suppressions={s.Suppressions} "
            + $"| in/out {perSegment} | dlq {reasons}");
    }

    /// <summary>The closing summary: DP counters, budget spent per segment, and the accounting balance.</summary>
    internal static IEnumerable<string> FinalLines(DemoState state)
    {
        var s = state.Counters.Snapshot();
        yield return string.Create(CultureInfo.InvariantCulture,
            $"dp releases={s.Releases} (visible {state.Releases.Releases}) suppressions={s.Suppressions} windows-sealed={s.WindowsSealed} "
            + $"late={s.LateRecords} (generated late {state.Generator.Late}) stripped-over-cap={s.StrippedOverCap} dropped={s.Dropped} "
            + $"contributions-capped={s.ContributionsCapped} audit-events={state.Releases.AuditEvents}");
        foreach (var segment in state.Policy.Segments.Where(seg => seg.Privacy.Budget is not null))
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"budget [{segment.Name}] {Charged(segment, s)} releases={s.ReleasesBySegment.GetValueOrDefault(segment.Name)} "
                + $"suppressions={state.Releases.Suppressions(segment.Name)}");
        }

        yield return Balance(s);
    }

    /// <summary>The accounting invariant spelled out: every consumed record is published, dead-lettered, dropped or in flight.</summary>
    internal static string Balance(PipelineSnapshot s) => string.Create(CultureInfo.InvariantCulture,
        $"balance: consumed {s.Consumed} = published {s.Published} + dead-lettered {s.DeadLettered} + dropped {s.Dropped} "
        + $"+ in flight {s.InFlight}: {(s.IsBalanced ? "balanced" : "NOT balanced")}");

    /// <summary>Budget charged so far against the lifetime cap, in the accountant's currency: <c>ε 3.2 / 7.4</c> or <c>ρ 0.031 / 0.08</c>.</summary>
    internal static string Charged(SegmentPolicy segment, PipelineSnapshot s)
    {
        if (segment.Privacy.Budget is not { } budget)
        {
            return string.Empty;
        }

        return budget.Lifetime.Kind == PrivacyCostKind.Zcdp
            ? string.Create(CultureInfo.InvariantCulture, $"ρ {s.RhoChargedBySegment.GetValueOrDefault(segment.Name):0.####} / {budget.Lifetime.Rho.Value:G4}")
            : string.Create(CultureInfo.InvariantCulture, $"ε {s.EpsilonChargedBySegment.GetValueOrDefault(segment.Name):0.###} / {budget.Lifetime.Epsilon.Value:G4}");
    }
}
