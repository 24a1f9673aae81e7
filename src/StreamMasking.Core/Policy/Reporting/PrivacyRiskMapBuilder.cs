using System.Globalization;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Policy.Reporting;

/// <summary>
/// Builds a segment's <see cref="PrivacyRiskMap"/>. Per unit and window: the event-level cost of one event times
/// <c>maxEventsPerWindow</c>, composed with the aggregates' cost of one window (continual counters included, as in
/// the window that pays for them) capped by the per-window budget, since the ledger never releases beyond it. Over the
/// lifetime the aggregates are capped by the lifetime budget and event-level noise by the unit's
/// <c>privacyUnit.lifetime</c> cap (its ledger strips the unit's noised fields once it is spent); without that cap
/// any noised field makes the lifetime bound unbounded. Without a privacy unit nothing bounds one person's events: unbounded.
/// </summary>
public static class PrivacyRiskMapBuilder
{
    /// <summary>The short-form duration units, largest first.</summary>
    private static readonly (long Ticks, string Unit)[] DurationUnits =
    [
        (TimeSpan.TicksPerDay, "d"), (TimeSpan.TicksPerHour, "h"), (TimeSpan.TicksPerMinute, "m"),
        (TimeSpan.TicksPerSecond, "s"), (TimeSpan.TicksPerMillisecond, "ms"),
    ];

    /// <summary>The risk map of <paramref name="segment"/>.</summary>
    public static PrivacyRiskMap Build(SegmentPolicy segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var privacy = segment.Privacy;
        var budget = privacy.Budget;
        var accountant = budget?.Accountant ?? AccountantKind.Basic;
        var reportingDelta = accountant == AccountantKind.Zcdp ? budget!.Parameter : Delta.Zero;
        var fields = segment.Fields
            .Where(f => f.Action is NoiseFieldAction)
            .Select(f => new FieldRisk(f.Path.Text, f.Action.Name, DpCosts.EventCost((NoiseFieldAction)f.Action, accountant)))
            .ToList();
        var aggregates = privacy.Aggregates
            .Select(a => new AggregateRisk(
                a.Name, a.KindName, a.Noise.Kind == NoiseKind.Laplace ? "laplace" : "gaussian",
                DpCosts.AggregateWindowCost(a, accountant), DpCosts.ContinualCost(a), a.WindowsPerUnit, ReplaceConversion.GroupSize(a)))
            .ToList();

        var perEvent = fields.Aggregate(ComposedCost.Zero(accountant), (total, f) => total.Add(f.Cost));
        var notes = new List<string>();
        var unit = privacy.Unit;
        ComposedCost? eventsPerWindow = ComposedCost.Zero(accountant);
        ComposedCost? aggregatesPerWindow = ComposedCost.Zero(accountant);
        ComposedCost? aggregatesLifetime = ComposedCost.Zero(accountant);
        if (fields.Count > 0)
        {
            eventsPerWindow = unit is null ? null : ComposedCost.Zero(accountant).Add(perEvent.Scale(unit.MaxEventsPerWindow));
        }

        if (aggregates.Count > 0)
        {
            // Composed under replace (see ReplaceConversion): each cost at its own group size; a cap bounds the
            // add/remove spend, so under replace it bounds it at the largest group size.
            var window = aggregates.Aggregate(
                ComposedCost.Zero(accountant),
                (total, a) =>
                {
                    var sum = total.Add(ReplaceConversion.Convert(a.WindowCost, a.ReplaceGroupSize));
                    return a.ContinualCost is { } c ? sum.Add(ReplaceConversion.Convert(c, a.ReplaceGroupSize)) : sum;
                });
            var group = aggregates.Max(a => a.ReplaceGroupSize);
            aggregatesPerWindow = unit is null ? null : window.Tighter(ComposedCost.Zero(accountant).Add(ReplaceConversion.Convert(budget!.PerWindow, group)));
            aggregatesLifetime = unit is null ? null : ComposedCost.Zero(accountant).Add(ReplaceConversion.Convert(budget!.Lifetime, group));
            if (group > 1)
            {
                notes.Add("aggregates are calibrated for add/remove of one unit; the totals are for replace, where "
                    + string.Join(", ", aggregates.Where(a => a.ReplaceGroupSize > 1).Select(a => a.Name)) + " cost twice (group of two)");
            }
        }

        if (unit is null && privacy.Aggregates.Count + fields.Count > 0)
        {
            notes.Add("unbounded per unit: no privacyUnit declared, so nothing limits how many events one person contributes");
        }

        var perWindow = eventsPerWindow is null || aggregatesPerWindow is null ? null : eventsPerWindow.Add(aggregatesPerWindow);
        ComposedCost? lifetime = aggregatesLifetime;
        if (fields.Count > 0)
        {
            lifetime = null;
            if (unit?.EventLifetime is { } eventCap && aggregatesLifetime is not null)
            {
                // The unit's lifetime ledger withholds its noised fields once the cap is spent (events are replace).
                lifetime = aggregatesLifetime.Add(eventCap);
                notes.Add(EventLifetimeNote(segment, unit, eventCap, privacy.Window));
            }
            else if (unit is not null)
            {
                notes.Add("unbounded over the lifetime: event-level noise has no lifetime cap (every window admits maxEventsPerWindow more noised events; "
                    + "declare privacyUnit.lifetime to bound it)");
            }
        }

        if (unit is not null)
        {
            notes.AddRange(segment.Fields.Where(f => f.Action is RandomizedResponseAction).Select(f => TwoLayerNote(f.Path.Text, (RandomizedResponseAction)f.Action)));
        }

        if (fields.Count + aggregates.Count > 0)
        {
            notes.Add("fields kept, tokenized, generalized or partially masked are deterministic: these figures cover noised fields and aggregates only");
        }

        return new PrivacyRiskMap(
            segment.Name, budget?.AccountantName ?? "basic", reportingDelta, fields, aggregates, perEvent, perWindow, lifetime, notes);
    }

    // How many noised events the unit's lifetime cap admits, and how long that lasts at the per-window cap.
    private static string EventLifetimeNote(SegmentPolicy segment, PrivacyUnitPolicy unit, PrivacyCost cap, WindowPolicy? window)
    {
        var charge = DpCosts.EventLifetimeCharge(segment)!.Value;
        var events = UnitLifetimeAccount.EventsWithin(charge, cap);
        var windows = events / unit.MaxEventsPerWindow;
        var lasts = window is { } w && windows <= TimeSpan.MaxValue.Ticks / w.Size.Ticks
            ? " ≈ " + FormatDuration(TimeSpan.FromTicks(windows * w.Size.Ticks))
            : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"event-level noise over the lifetime: privacyUnit.lifetime {cap} admits {events} noised event(s) per unit at {charge} each "
            + $"(at least {windows} window(s){lasts} at {unit.MaxEventsPerWindow} per window); after that the unit's events are published without their noised fields");
    }

    // What a unit loses to the two randomized-response layers (see TwoLayerRandomizedResponse).
    private static string TwoLayerNote(string path, RandomizedResponseAction action)
    {
        var rr = new TwoLayerRandomizedResponse(action.CategoryCount, action.PermanentEpsilonOrDefault, action.Epsilon);
        return string.Create(CultureInfo.InvariantCulture,
            $"randomized response on {path}: each report is charged ε_inst={action.Epsilon.Value:R} (one report alone reveals at most ε={rr.PerReportEpsilon:0.###}); "
            + $"all reports of one unit for one value together reveal at most ε_perm={action.PermanentEpsilonOrDefault.Value:R}, and each further value a further ε_perm; "
            + $"a changed report shows a changed value with posterior at most {rr.ChangePosteriorBound:0.###} (from even odds)");
    }

    /// <summary>Text lines of the risk map, indented for <see cref="PolicyExplainer.Explain"/>.</summary>
    public static IReadOnlyList<string> Describe(SegmentPolicy segment, PrivacyRiskMap map)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentNullException.ThrowIfNull(map);
        if (!map.HasDifferentialPrivacy)
        {
            return ["  privacy risk map: no noised fields and no aggregates (no differential privacy in this segment)"];
        }

        var d = map.ReportingDelta;
        var lines = new List<string> { $"  privacy risk map (accountant {map.Accountant}):" };
        foreach (var f in map.Fields)
        {
            lines.Add($"    per event  {f.Path}: {f.Action} {Format(f.Cost, map, d)} (replace: the event's presence is public)");
        }

        if (map.Fields.Count > 0)
        {
            lines.Add($"    per event, all noised fields: {map.PerEvent.Format(d)}");
        }

        var privacy = segment.Privacy;
        if (privacy.Unit is { } unit)
        {
            var over = unit.OverCap == OverCapBehavior.Drop ? "drop" : "strip-noised-fields";
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"    privacy unit: {unit.Field.Text}, at most {unit.MaxEventsPerWindow} noised event(s) per window (beyond: {over})"));
            if (unit.EventLifetime is { } eventCap)
            {
                lines.Add($"    privacy unit lifetime for event-level noise: {Format(eventCap, map, d)} (beyond: noised fields stripped)");
            }
        }

        if (privacy.Window is { } w)
        {
            lines.Add(DescribeWindow(w));
        }

        foreach (var a in map.Aggregates)
        {
            var covers = a.WindowsPerUnit > 1 ? $" (covers {a.WindowsPerUnit} windows per unit)" : "";
            var continual = a.ContinualCost is { } c ? $"; continual counter once {Format(c, map, d)}{covers}" : "";
            var replace = a.ReplaceGroupSize > 1
                ? $"; add/remove; under replace {Format(ReplaceConversion.Convert(a.WindowCost, a.ReplaceGroupSize), map, d)}"
                : "; add/remove, same under replace";
            lines.Add($"    per window aggregate {a.Name} ({a.Kind}, {a.Noise}): {Format(a.WindowCost, map, d)}{continual}{replace}");
        }

        if (privacy.Budget is { } b)
        {
            lines.Add($"    budget: perWindow {Format(b.PerWindow, map, d)}, lifetime {Format(b.Lifetime, map, d)} (add/remove, as the ledger charges)");
            if (privacy.Window is { } window && privacy.Aggregates.Count > 0)
            {
                lines.Add("    " + LifetimeRunway.Describe(LifetimeRunway.Compute(privacy), window.Size));
            }
        }

        lines.Add("    worst case per unit per window (replace relation): " + (map.PerWindow?.Format(d) ?? "unbounded"));
        lines.Add("    worst case per unit over the lifetime (replace relation): " + (map.Lifetime?.Format(d) ?? "unbounded"));
        lines.AddRange(map.Notes.Select(n => "    note: " + n));
        return lines;
    }

    /// <summary>
    /// The window line of the risk map, e.g. <c>    window 1h, grace 5m, idle close 10m, late records: dead-letter</c>
    /// (durations in the policy's short form).
    /// </summary>
    internal static string DescribeWindow(WindowPolicy window)
    {
        var idle = window.IdleClose is { } i ? ", idle close " + FormatDuration(i) : "";
        return $"    window {FormatDuration(window.Size)}, grace {FormatDuration(window.Grace)}{idle}, late records: {window.LateName}";
    }

    /// <summary>
    /// A duration in the policy's short form with the largest whole unit (<c>1h</c>, <c>90s</c>, <c>0s</c>); a duration
    /// that is not a whole number of milliseconds, or too large for the short form's 9 digits, as <c>d.hh:mm:ss.fffffff</c>.
    /// </summary>
    internal static string FormatDuration(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        foreach (var (ticks, unit) in DurationUnits)
        {
            if (duration.Ticks > 0 && duration.Ticks % ticks == 0 && duration.Ticks / ticks < 1_000_000_000)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{duration.Ticks / ticks}{unit}");
            }
        }

        return duration.ToString("c", CultureInfo.InvariantCulture);
    }

    private static string Format(PrivacyCost cost, PrivacyRiskMap map, Delta d) =>
        ComposedCost.Zero(map.Accountant == "zcdp" ? AccountantKind.Zcdp : AccountantKind.Basic).Add(cost).Format(d);
}
