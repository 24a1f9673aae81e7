using System.Globalization;
using Spectre.Console;

namespace StreamMasking.Host.Demo;

/// <summary>
/// The live console view of the demo, refreshed twice a second: records in/out per segment, dead letters, samples, and
/// the differentially private window releases as a consumer of the aggregates topic sees them.
/// </summary>
internal static class LiveDashboard
{
    internal static async Task RunAsync(DemoState state, CancellationToken cancellationToken)
    {
        await AnsiConsole.Live(Render(state)).AutoClear(false).StartAsync(async context =>
        {
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), state.Time, cancellationToken);
                    context.UpdateTarget(Render(state));
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or --duration: leave the last frame on screen.
            }

            context.UpdateTarget(Render(state));
        });
    }

    private static Rows Render(DemoState state)
    {
        var s = state.Counters.Snapshot();
        var visible = state.Reader.Snapshot();
        var segments = new Table().Border(TableBorder.Rounded).Expand()
            .AddColumn("Segment").AddColumn("Masked topic").AddColumn(new TableColumn("In").RightAligned())
            .AddColumn(new TableColumn("Out").RightAligned()).AddColumn(new TableColumn("Visible").RightAligned())
            .AddColumn("Latest masked record");
        // The sample column gets what the terminal width leaves after the counts.
        var sampleWidth = Math.Max(16, AnsiConsole.Profile.Width - 75);
        foreach (var seg in state.Policy.Segments)
        {
            var (count, latest) = visible.TryGetValue(seg.Name, out var seen) ? seen : (0, string.Empty);
            segments.AddRow(
                Markup.Escape(seg.Name),
                Markup.Escape(seg.MaskedTopic),
                N(s.RoutedBySegment.GetValueOrDefault(seg.Name)),
                N(s.PublishedBySegment.GetValueOrDefault(seg.Name)),
                N(count),
                "[grey]" + Markup.Escape(Truncate(latest, sampleWidth)) + "[/]");
        }

        var deadLetters = new Table().Border(TableBorder.Rounded).AddColumn("Dead-letter reason").AddColumn(new TableColumn("Records").RightAligned());
        foreach (var (reason, count) in s.DeadLettersByReason.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            deadLetters.AddRow(Markup.Escape(reason), N(count));
        }

        var releases = Releases(state, s);
        var privacy = new Markup(string.Create(CultureInfo.InvariantCulture,
            $"late {N(s.LateRecords)} · over cap: stripped {N(s.StrippedOverCap)}, dropped {N(s.Dropped)} · "
            + $"windows sealed {N(s.WindowsSealed)} · audit events {N(state.Releases.AuditEvents)}"));

        var balanced = s.IsBalanced ? "[green]balanced[/]" : "[red]NOT balanced[/]";
        var header = new Markup(string.Create(CultureInfo.InvariantCulture,
            $"[bold]StreamMasking demo[/]  policy [blue]{Markup.Escape(state.Policy.SourceName)}[/] v{Markup.Escape(state.Policy.Version)}  "
            + $"{state.Elapsed:mm\\:ss}  generated {state.Generator.Produced:N0}\n"
            + $"consumed {s.Consumed:N0} = published {s.Published:N0} + dead-lettered {s.DeadLettered:N0} + dropped {s.Dropped:N0} "
            + $"+ in flight {s.InFlight:N0}  {balanced}  "
            + $"transactions {s.CommittedTransactions:N0} committed / {s.AbortedTransactions:N0} aborted\n"
            + $"[grey]Fields the policy does not name never leave. Ctrl-C stops.[/]"));
        return new Rows(header, segments, deadLetters, releases, privacy);
    }

    /// <summary>
    /// One row per aggregate (and running total) of every segment that declares aggregates: the latest window released,
    /// its noisy value ± half the confidence interval (top bins of a histogram, selected keys of a top-k), the budget
    /// charged so far against the lifetime cap, and the segment's suppressed releases.
    /// </summary>
    private static Table Releases(DemoState state, Runtime.Diagnostics.PipelineSnapshot s)
    {
        var table = new Table().Border(TableBorder.Rounded).Expand().Title("DP releases (streammasking.aggregates)")
            .AddColumn("Segment").AddColumn("Aggregate").AddColumn("Window").AddColumn("Latest release (noisy ± CI half-width)")
            .AddColumn(new TableColumn("Charged / lifetime").RightAligned()).AddColumn(new TableColumn("Suppressed").RightAligned());
        foreach (var segment in state.Policy.Segments.Where(seg => seg.Privacy.Aggregates.Count > 0))
        {
            var first = true;
            foreach (var aggregate in segment.Privacy.Aggregates)
            {
                foreach (var continual in aggregate.Continual ? new[] { false, true } : [false])
                {
                    var latest = state.Releases.Latest(segment.Name, aggregate.Name, continual);
                    table.AddRow(
                        first ? Markup.Escape(segment.Name) : string.Empty,
                        Markup.Escape(continual ? aggregate.Name + " (total)" : aggregate.Name) + " [grey]" + aggregate.KindName + "[/]",
                        latest is null ? "[grey]–[/]" : Markup.Escape(latest.WindowStart.ToString("HH:mm:ss", CultureInfo.InvariantCulture)),
                        latest is null ? "[grey]first window open[/]" : Markup.Escape(latest.Describe(maxBins: 2)),
                        first ? Markup.Escape(HeadlessReporter.Charged(segment, s)) : string.Empty,
                        first ? N(state.Releases.Suppressions(segment.Name)) : string.Empty);
                    first = false;
                }
            }
        }

        return table;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
