using System.Globalization;

namespace StreamMasking.Host.Demo;

/// <summary>
/// <c>demo --headless</c>: a plain summary line every two seconds and the first masked record of each segment, for
/// CI logs and terminals without live rendering.
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

                await output.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by Ctrl-C or --duration.
        }
    }

    internal static string Summary(DemoState state)
    {
        var s = state.Counters.Snapshot();
        var perSegment = string.Join(' ', state.Policy.Segments.Select(seg =>
            $"{seg.Name}={s.RoutedBySegment.GetValueOrDefault(seg.Name)}/{s.PublishedBySegment.GetValueOrDefault(seg.Name)}"));
        var reasons = string.Join(' ', s.DeadLettersByReason.Select(r => $"{r.Key}={r.Value}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"[{state.Elapsed.TotalSeconds:F0}s] generated={state.Generator.Produced} consumed={s.Consumed} published={s.Published} "
            + $"dead-lettered={s.DeadLettered} in-flight={s.InFlight} balanced={(s.IsBalanced ? "yes" : "no")} "
            + $"transactions={s.CommittedTransactions}/{s.AbortedTransactions} | in/out {perSegment} | dlq {reasons}");
    }
}
