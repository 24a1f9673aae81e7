using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Policy.Yaml;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>Parses a segment's <c>privacyUnit</c>, <c>window</c> and <c>budget</c> keys.</summary>
internal static class WindowBudgetParser
{
    private static readonly string[] UnitKeys = ["field", "maxEventsPerWindow", "overCap", "lifetime"];
    private static readonly string[] WindowKeys = ["size", "grace", "idleClose", "late", "maxFutureSkew"];
    private static readonly string[] BudgetKeys = ["accountant", "perWindow", "lifetime", "reportingDelta", "slack"];
    private static readonly string[] CapKeys = ["epsilon", "delta", "rho"];

    /// <summary>Default zCDP reporting δ (the δ at which ρ totals are shown as ε).</summary>
    public const double DefaultReportingDelta = 1e-9;

    /// <summary>
    /// Parses <c>privacyUnit</c>; its optional <c>lifetime</c> cap is stated in the currency of the segment's
    /// accountant <paramref name="kind"/> (ε and δ; ρ under zcdp), as the budget caps are.
    /// </summary>
    public static PrivacyUnitPolicy? ParseUnit(YNode node, string path, AccountantKind kind, PolicyDiagnosticBag bag)
    {
        var mapping = YamlValues.Mapping(node, path, bag);
        if (mapping is null)
        {
            return null;
        }

        var reader = new MappingReader(mapping, path, bag, UnitKeys);
        var before = bag.Count;
        FieldPath? field = null;
        if (reader.Require("field") is { } fieldNode && YamlValues.Text(fieldNode, reader.ChildPath("field"), bag) is { } text
            && !FieldPath.TryParse(text, out field))
        {
            bag.Add(fieldNode, reader.ChildPath("field"), $"'{text}' is not a valid field path (dotted names, no empty parts)");
        }

        var maxNode = reader.Require("maxEventsPerWindow");
        var max = maxNode is null ? null : YamlValues.Integer(maxNode, reader.ChildPath("maxEventsPerWindow"), bag, minimum: 1);
        var overCap = reader.Get("overCap") is { } overNode
            ? YamlValues.OneOf(overNode, reader.ChildPath("overCap"), bag, "strip-noised-fields", "drop")
            : 0;
        var lifetime = reader.Get("lifetime") is { } lifetimeNode ? ParseCap(lifetimeNode, reader.ChildPath("lifetime"), kind, bag) : null;
        return bag.Count != before || field is null || max is null || overCap is null
            ? null
            : new PrivacyUnitPolicy(field, max.Value, (OverCapBehavior)overCap.Value, lifetime);
    }

    public static WindowPolicy? ParseWindow(YNode node, string path, PolicyDiagnosticBag bag)
    {
        var mapping = YamlValues.Mapping(node, path, bag);
        if (mapping is null)
        {
            return null;
        }

        var reader = new MappingReader(mapping, path, bag, WindowKeys);
        var before = bag.Count;
        var sizeNode = reader.Require("size");
        var size = sizeNode is null ? null : DpValues.Duration(sizeNode, reader.ChildPath("size"), bag, allowZero: false);
        if (size is { } s && (s.Ticks % TimeSpan.TicksPerMillisecond != 0))
        {
            bag.Add(sizeNode!, reader.ChildPath("size"), "window size must be a whole number of milliseconds");
        }

        var grace = reader.Get("grace") is { } graceNode
            ? DpValues.Duration(graceNode, reader.ChildPath("grace"), bag, allowZero: true)
            : TimeSpan.Zero;
        TimeSpan? idle = null;
        if (reader.Get("idleClose") is { } idleNode)
        {
            idle = DpValues.Duration(idleNode, reader.ChildPath("idleClose"), bag, allowZero: false);
        }

        var late = reader.Get("late") is { } lateNode
            ? YamlValues.OneOf(lateNode, reader.ChildPath("late"), bag, "dead-letter", "drop")
            : 0;
        TimeSpan? skew = null;
        if (reader.Get("maxFutureSkew") is { } skewNode)
        {
            skew = DpValues.Duration(skewNode, reader.ChildPath("maxFutureSkew"), bag, allowZero: true);
            if (skew is { } k && k.Ticks % TimeSpan.TicksPerMillisecond != 0)
            {
                bag.Add(skewNode, reader.ChildPath("maxFutureSkew"), "the future skew must be a whole number of milliseconds");
            }
        }

        return bag.Count != before || size is null || grace is null || late is null
            ? null
            : new WindowPolicy(size.Value, grace.Value, idle, late.Value == 1 ? LateRecordHandling.Drop : LateRecordHandling.DeadLetter, skew);
    }

    public static BudgetPolicy? ParseBudget(YNode node, string path, PolicyDiagnosticBag bag)
    {
        var mapping = YamlValues.Mapping(node, path, bag);
        if (mapping is null)
        {
            return null;
        }

        var reader = new MappingReader(mapping, path, bag, BudgetKeys);
        var before = bag.Count;
        var kindIndex = reader.Get("accountant") is { } accNode
            ? YamlValues.OneOf(accNode, reader.ChildPath("accountant"), bag, "basic", "zcdp", "advanced-filter")
            : 0;
        if (kindIndex is null)
        {
            return null;
        }

        var kind = kindIndex.Value switch
        {
            1 => AccountantKind.Zcdp,
            2 => AccountantKind.AdaptiveFilter,
            _ => AccountantKind.Basic,
        };
        var perWindowNode = reader.Require("perWindow");
        var perWindow = perWindowNode is null ? null : ParseCap(perWindowNode, reader.ChildPath("perWindow"), kind, bag);
        var lifetimeNode = reader.Require("lifetime");
        var lifetime = lifetimeNode is null ? null : ParseCap(lifetimeNode, reader.ChildPath("lifetime"), kind, bag);
        var parameter = ParseParameter(reader, kind, perWindow, lifetime, bag);
        if (bag.Count != before || perWindow is null || lifetime is null || parameter is null)
        {
            return null;
        }

        if (kind == AccountantKind.Zcdp ? lifetime.Value.Rho < perWindow.Value.Rho : lifetime.Value.Epsilon < perWindow.Value.Epsilon || lifetime.Value.Delta < perWindow.Value.Delta)
        {
            bag.Add(lifetimeNode!, reader.ChildPath("lifetime"), "the lifetime cap must be at least the perWindow cap");
            return null;
        }

        return new BudgetPolicy(kind, perWindow.Value, lifetime.Value, parameter.Value);
    }

    private static Delta? ParseParameter(MappingReader reader, AccountantKind kind, PrivacyCost? perWindow, PrivacyCost? lifetime, PolicyDiagnosticBag bag)
    {
        var reportingNode = reader.Get("reportingDelta");
        var slackNode = reader.Get("slack");
        if (reportingNode is not null && kind != AccountantKind.Zcdp)
        {
            bag.Add(reader.KeyNode("reportingDelta")!, reader.ChildPath("reportingDelta"), "'reportingDelta' applies only to accountant zcdp");
            return null;
        }

        if (slackNode is not null && kind != AccountantKind.AdaptiveFilter)
        {
            bag.Add(reader.KeyNode("slack")!, reader.ChildPath("slack"), "'slack' applies only to accountant advanced-filter");
            return null;
        }

        switch (kind)
        {
            case AccountantKind.Zcdp:
                {
                    var reporting = reportingNode is null ? new Delta(DefaultReportingDelta) : DpValues.Delta(reportingNode, reader.ChildPath("reportingDelta"), bag);
                    if (reporting is { Value: 0 })
                    {
                        bag.Add(reportingNode!, reader.ChildPath("reportingDelta"), "reportingDelta must be greater than 0");
                        return null;
                    }

                    return reporting;
                }

            case AccountantKind.AdaptiveFilter:
                {
                    if (perWindow is null || lifetime is null)
                    {
                        return null;
                    }

                    var smallest = Math.Min(perWindow.Value.Delta.Value, lifetime.Value.Delta.Value);
                    var slack = slackNode is null ? new Delta(smallest / 2) : DpValues.Delta(slackNode, reader.ChildPath("slack"), bag);
                    if (slack is null)
                    {
                        return null;
                    }

                    if (slack.Value.Value <= 0 || slack.Value.Value >= smallest)
                    {
                        bag.Add(slackNode ?? (YNode)reader.Node, slackNode is null ? reader.Path : reader.ChildPath("slack"),
                            "advanced-filter needs 0 < slack < the caps' delta (give both caps a positive delta)");
                        return null;
                    }

                    return slack;
                }

            default:
                return Delta.Zero;
        }
    }

    private static PrivacyCost? ParseCap(YNode node, string path, AccountantKind kind, PolicyDiagnosticBag bag)
    {
        var mapping = YamlValues.Mapping(node, path, bag);
        if (mapping is null)
        {
            return null;
        }

        var reader = new MappingReader(mapping, path, bag, CapKeys);
        if (kind == AccountantKind.Zcdp)
        {
            foreach (var key in reader.PresentOf("epsilon", "delta"))
            {
                bag.Add(reader.KeyNode(key)!, reader.ChildPath(key), "accountant zcdp caps are stated as 'rho'");
            }

            var rhoNode = reader.Require("rho");
            var rho = rhoNode is null ? null : DpValues.Rho(rhoNode, reader.ChildPath("rho"), bag);
            return rho is null || reader.Has("epsilon") || reader.Has("delta") ? null : PrivacyCost.Zcdp(rho.Value);
        }

        if (reader.KeyNode("rho") is { } rhoKey)
        {
            bag.Add(rhoKey, reader.ChildPath("rho"), "'rho' caps need accountant zcdp; state epsilon (and delta)");
            return null;
        }

        var epsilonNode = reader.Require("epsilon");
        var epsilon = epsilonNode is null ? null : DpValues.Epsilon(epsilonNode, reader.ChildPath("epsilon"), bag);
        var delta = reader.Get("delta") is { } deltaNode ? DpValues.Delta(deltaNode, reader.ChildPath("delta"), bag) : Delta.Zero;
        if (epsilon is null || delta is null)
        {
            return null;
        }

        return delta.Value.Value == 0 ? PrivacyCost.Pure(epsilon.Value) : PrivacyCost.Approximate(epsilon.Value, delta.Value);
    }
}
