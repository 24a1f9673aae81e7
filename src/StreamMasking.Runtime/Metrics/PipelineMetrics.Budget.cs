using System.Collections.Concurrent;
using Prometheus;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Metrics;

/// <summary>Budget gauges (ε, δ, ρ spent / cap / remaining per segment and scope) and the live budget state.</summary>
public sealed partial class PipelineMetrics
{
    private readonly ConcurrentDictionary<string, SegmentBudget> _budgets = new(StringComparer.Ordinal);
    private Gauge _epsilonSpent = null!, _epsilonCap = null!, _epsilonRemaining = null!;
    private Gauge _deltaSpent = null!, _deltaCap = null!, _deltaRemaining = null!;
    private Gauge _rhoSpent = null!, _rhoCap = null!, _rhoRemaining = null!;
    private Gauge _exhausted = null!;

    /// <summary>The committed budget state of every segment that released or suppressed something, by segment name.</summary>
    public IReadOnlyDictionary<string, SegmentBudgetStatus> BudgetStatus()
    {
        var now = NowMs();
        return _budgets.ToDictionary(b => b.Key, b => b.Value.Status(now), StringComparer.Ordinal);
    }

    void IPipelineObserver.OnLedgerCommitted(string segment, BudgetLedger ledger)
    {
        var budget = Budget(segment);
        if (!budget.Update(ledger, NowMs()))
        {
            return;
        }

        var status = budget.Status(NowMs());
        var label = _segments.For(segment);
        Set(status.Lifetime!, label, "lifetime");
        if (status.Window is { } window)
        {
            Set(window, label, "window");
        }

        _exhausted.WithLabels(label).Set(status.Exhausted ? 1 : 0);
    }

    private SegmentBudget Budget(string segment)
    {
        var budget = _budgets.GetOrAdd(segment, s => new SegmentBudget(s));
        if (budget.Exhausted)
        {
            _exhausted.WithLabels(_segments.For(segment)).Set(1);
        }

        return budget;
    }

    private void Set(BudgetScopeStatus scope, string segment, string name)
    {
        Set(_epsilonSpent, _epsilonCap, _epsilonRemaining, scope.Spent.Epsilon, scope.Cap.Epsilon, scope.Remaining.Epsilon, segment, name);
        Set(_deltaSpent, _deltaCap, _deltaRemaining, scope.Spent.Delta, scope.Cap.Delta, scope.Remaining.Delta, segment, name);
        Set(_rhoSpent, _rhoCap, _rhoRemaining, scope.Spent.Rho, scope.Cap.Rho, scope.Remaining.Rho, segment, name);
    }

    // A currency the accountant does not use has no series. With segments over the label cap sharing "other", the
    // gauges show the last reported of them (the /privacy endpoint lists each).
    private static void Set(Gauge spent, Gauge cap, Gauge remaining, double? s, double? c, double? r, string segment, string scope)
    {
        if (s is null || c is null || r is null)
        {
            return;
        }

        spent.WithLabels(segment, scope).Set(s.Value);
        cap.WithLabels(segment, scope).Set(c.Value);
        remaining.WithLabels(segment, scope).Set(r.Value);
    }

    private void CreateBudgetGauges(MetricFactory f)
    {
        _epsilonSpent = NewGauge(f, "budget_epsilon_spent", "ε spent.", "segment", "scope");
        _epsilonCap = NewGauge(f, "budget_epsilon_cap", "ε cap.", "segment", "scope");
        _epsilonRemaining = NewGauge(f, "budget_epsilon_remaining", "ε remaining.", "segment", "scope");
        _deltaSpent = NewGauge(f, "budget_delta_spent", "δ spent.", "segment", "scope");
        _deltaCap = NewGauge(f, "budget_delta_cap", "δ cap.", "segment", "scope");
        _deltaRemaining = NewGauge(f, "budget_delta_remaining", "δ remaining.", "segment", "scope");
        _rhoSpent = NewGauge(f, "budget_rho_spent", "ρ spent (zCDP).", "segment", "scope");
        _rhoCap = NewGauge(f, "budget_rho_cap", "ρ cap (zCDP).", "segment", "scope");
        _rhoRemaining = NewGauge(f, "budget_rho_remaining", "ρ remaining (zCDP).", "segment", "scope");
        _exhausted = NewGauge(f, "budget_exhausted", "1 once the lifetime budget is exhausted.", "segment");
    }
}
