using System.Globalization;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Policy.Yaml;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>
/// Checks that need several DP keys of a segment together: aggregates need a window and a budget, a privacy unit
/// needs a window, accountants accept the noise declared, and both caps cover one window's releases.
/// </summary>
internal static class DpRules
{
    public static SegmentPrivacy? Parse(MappingReader segment, PolicyDiagnosticBag bag)
    {
        var before = bag.Count;
        var budget = segment.Get("budget") is { } budgetNode ? WindowBudgetParser.ParseBudget(budgetNode, segment.ChildPath("budget"), bag) : null;
        // The unit's lifetime cap is stated in the budget's currency (basic when the segment declares no budget).
        var unit = segment.Get("privacyUnit") is { } unitNode
            ? WindowBudgetParser.ParseUnit(unitNode, segment.ChildPath("privacyUnit"), budget?.Accountant ?? AccountantKind.Basic, bag)
            : null;
        var window = segment.Get("window") is { } windowNode ? WindowBudgetParser.ParseWindow(windowNode, segment.ChildPath("window"), bag) : null;
        var aggregates = segment.Get("aggregates") is { } aggregatesNode
            ? AggregateParser.Parse(aggregatesNode, segment.ChildPath("aggregates"), bag)
            : [];
        if (bag.Count != before || aggregates is null)
        {
            return null;
        }

        if (aggregates.Count > 0 && !segment.Has("window"))
        {
            bag.Add(segment.KeyNode("aggregates")!, segment.ChildPath("aggregates"), "aggregates need a 'window' (they are released per window)");
        }

        if (aggregates.Count > 0 && !segment.Has("budget"))
        {
            bag.Add(segment.KeyNode("aggregates")!, segment.ChildPath("aggregates"), "aggregates need a 'budget' (every release is paid from it)");
        }

        if (unit is not null && !segment.Has("window"))
        {
            bag.Add(segment.KeyNode("privacyUnit")!, segment.ChildPath("privacyUnit"), "privacyUnit needs a 'window' (its cap is per window)");
        }

        if (budget is not null)
        {
            CheckCompatibility(budget, aggregates, bag);
            if (bag.Count == before)
            {
                CheckCovers(segment, budget, aggregates, bag);
            }
        }

        if (bag.Count != before)
        {
            return null;
        }

        return unit is null && window is null && budget is null && aggregates.Count == 0
            ? SegmentPrivacy.None
            : new SegmentPrivacy(unit, window, budget, [.. aggregates.Select(a => a.Aggregate)]);
    }

    /// <summary>The cost of one window's releases (first window: continual counters included), composed by the accountant.</summary>
    public static ComposedCost WindowCost(BudgetPolicy budget, IEnumerable<AggregatePolicy> aggregates)
    {
        var total = ComposedCost.Zero(budget.Accountant);
        foreach (var aggregate in aggregates)
        {
            total = total.Add(DpCosts.AggregateWindowCost(aggregate, budget.Accountant));
            if (DpCosts.ContinualCost(aggregate) is { } continual)
            {
                total = total.Add(continual);
            }
        }

        return total;
    }

    private static void CheckCompatibility(BudgetPolicy budget, List<(AggregatePolicy Aggregate, YMapping Node, string Path)> aggregates, PolicyDiagnosticBag bag)
    {
        foreach (var (aggregate, node, path) in aggregates)
        {
            var gaussian = aggregate.Noise.Kind == NoiseKind.Gaussian;
            var noiseNode = Child(node, "noise") ?? node;
            var noisePath = Child(node, "noise") is null ? path : PolicyPath.Key(path, "noise");
            if (gaussian && budget.Accountant == AccountantKind.Zcdp && aggregate.Kind == AggregateQuery.Mean)
            {
                bag.Add(noiseNode, noisePath, "a gaussian mean is calibrated in (epsilon, delta): use accountant basic or laplace noise");
            }

            if (gaussian && aggregate.Continual && budget.Accountant != AccountantKind.Zcdp)
            {
                bag.Add(noiseNode, noisePath, "continual gaussian release is accounted in rho: use accountant zcdp (or laplace noise)");
            }
        }
    }

    private static void CheckCovers(MappingReader segment, BudgetPolicy budget, List<(AggregatePolicy Aggregate, YMapping Node, string Path)> aggregates, PolicyDiagnosticBag bag)
    {
        if (aggregates.Count == 0)
        {
            return;
        }

        var cost = WindowCost(budget, aggregates.Select(a => a.Aggregate));
        var budgetNode = (YMapping)segment.Get("budget")!;
        var budgetPath = segment.ChildPath("budget");
        foreach (var (capName, cap) in new[] { ("perWindow", budget.PerWindow), ("lifetime", budget.Lifetime) })
        {
            var capNode = (YMapping)Child(budgetNode, capName)!;
            var capPath = PolicyPath.Key(budgetPath, capName);
            if (budget.Accountant == AccountantKind.Zcdp)
            {
                Compare(bag, capNode, capPath, capName, "rho", cap.Rho.Value, cost.Rho);
                continue;
            }

            var epsilonCost = cost.Epsilon;
            var deltaCost = cost.Delta;
            if (budget.Accountant == AccountantKind.AdaptiveFilter)
            {
                // The filter's statistic: √(2·ln(1/δ′)·Σεᵢ²) + ½Σεᵢ² ≤ ε and Σδᵢ ≤ δ − δ′.
                var squares = aggregates.Sum(a => SquaredEpsilon(a.Aggregate, budget.Accountant));
                epsilonCost = Math.Sqrt(2 * Math.Log(1 / budget.Parameter.Value) * squares) + (squares / 2);
                deltaCost += budget.Parameter.Value;
            }

            Compare(bag, capNode, capPath, capName, "epsilon", cap.Epsilon.Value, epsilonCost);
            Compare(bag, capNode, capPath, capName, "delta", cap.Delta.Value, deltaCost);
        }
    }

    private static double SquaredEpsilon(AggregatePolicy aggregate, AccountantKind accountant)
    {
        var e = DpCosts.AggregateWindowCost(aggregate, accountant).Epsilon.Value;
        var c = DpCosts.ContinualCost(aggregate)?.Epsilon.Value ?? 0;
        return (e * e) + (c * c);
    }

    private static void Compare(PolicyDiagnosticBag bag, YMapping capNode, string capPath, string capName, string key, double cap, double cost)
    {
        // A relative tolerance of 1e-12 forgives decimal-to-binary rounding of sums such as 0.1 + 0.2 against 0.3.
        if (cap >= cost * (1 - 1e-12))
        {
            return;
        }

        var node = Child(capNode, key) ?? capNode;
        var path = Child(capNode, key) is null ? capPath : PolicyPath.Key(capPath, key);
        bag.Add(node, path, string.Create(
            CultureInfo.InvariantCulture,
            $"{capName} {key} {ComposedCost.Round(cap)} is less than the {ComposedCost.Round(cost)} a single window's releases cost"));
    }

    private static YNode? Child(YMapping mapping, string key) =>
        mapping.Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    /// <summary>Event-level noise actions of a segment's effective rules.</summary>
    public static IEnumerable<(FieldRule Rule, NoiseFieldAction Action)> NoiseFields(IEnumerable<FieldRule> rules) =>
        rules.Where(r => r.Action is NoiseFieldAction).Select(r => (r, (NoiseFieldAction)r.Action));
}
