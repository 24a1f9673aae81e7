using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Runtime.Metrics;

/// <summary>The latest committed ledger figures of one segment, its release counts and its spending rate.</summary>
internal sealed class SegmentBudget(string segment)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _suppressions = new(StringComparer.Ordinal);
    private long _releases;
    private long _charges = -1;
    private PrivacyCostKind? _kind;
    private BudgetScopeStatus? _lifetime;
    private BudgetScopeStatus? _window;
    private bool _exhausted;
    private (long Ms, double Spent)? _first;
    private (long Ms, double Spent)? _last;

    /// <summary>Takes the ledger's figures; false when nothing changed since the last call (no new debit).</summary>
    internal bool Update(BudgetLedger ledger, long nowMs)
    {
        var lifetime = ledger.LifetimeSpend;
        lock (_gate)
        {
            if (lifetime.Count == _charges)
            {
                return false;
            }

            _charges = lifetime.Count;
            var kind = ledger.LifetimeCap.Kind;
            _kind = kind;
            var debits = ledger.RetainedDebits();
            long? window = debits.Count == 0 ? null : debits.Max(d => d.Key.Window);
            _lifetime = new BudgetScopeStatus(Spent(lifetime, kind), Cost(ledger.LifetimeCap), Cost(ledger.RemainingLifetime()), null);
            _window = window is { } w
                ? new BudgetScopeStatus(Spent(ledger.WindowSpend(w), kind), Cost(ledger.WindowCap), Cost(ledger.RemainingInWindow(w)), w)
                : null;
            var spent = Currency(_lifetime.Spent, kind);
            _exhausted = Currency(_lifetime.Remaining, kind) <= 0;
            _first ??= (nowMs, spent);
            _last = (nowMs, spent);
            return true;
        }
    }

    internal void AddReleases(long count)
    {
        lock (_gate)
        {
            _releases += count;
        }
    }

    internal void AddSuppressions(string reason, long count)
    {
        lock (_gate)
        {
            _suppressions[reason] = _suppressions.GetValueOrDefault(reason) + count;
            // A release refused by the lifetime cap means the lifetime budget can pay for no more of it.
            _exhausted |= reason == "lifetime_cap_exceeded";
        }
    }

    internal SegmentBudgetStatus Status(long nowMs)
    {
        lock (_gate)
        {
            double? seconds = null;
            if (_exhausted)
            {
                seconds = 0;
            }
            else if (_first is { } first && _last is { } last && _lifetime is { } lifetime && _kind is { } kind
                     && last.Spent > first.Spent && nowMs > first.Ms)
            {
                // Rate observed by this process since its first charge; remaining / rate.
                var rate = (last.Spent - first.Spent) / ((nowMs - first.Ms) / 1000.0);
                seconds = Currency(lifetime.Remaining, kind) / rate;
            }

            return new SegmentBudgetStatus(segment, _kind switch
            {
                PrivacyCostKind.PureDp => "pure",
                PrivacyCostKind.ApproximateDp => "approximate",
                PrivacyCostKind.Zcdp => "zcdp",
                _ => null,
            }, _lifetime, _window, _releases, new Dictionary<string, long>(_suppressions, StringComparer.Ordinal), _exhausted, seconds);
        }
    }

    internal bool Exhausted
    {
        get
        {
            lock (_gate)
            {
                return _exhausted;
            }
        }
    }

    // The currency the caps are expressed in: ε for pure and approximate DP, ρ for zCDP.
    private static double Currency(BudgetAmounts amounts, PrivacyCostKind kind) =>
        (kind == PrivacyCostKind.Zcdp ? amounts.Rho : amounts.Epsilon) ?? 0;

    private static BudgetAmounts Spent(PrivacySpend spend, PrivacyCostKind kind) => kind switch
    {
        PrivacyCostKind.Zcdp => new BudgetAmounts(null, null, spend.Rho.Value),
        PrivacyCostKind.ApproximateDp => new BudgetAmounts(spend.Epsilon.Value, spend.Delta.Value, null),
        _ => new BudgetAmounts(spend.Epsilon.Value, null, null),
    };

    private static BudgetAmounts Cost(PrivacyCost cost) => cost.Kind switch
    {
        PrivacyCostKind.Zcdp => new BudgetAmounts(null, null, cost.Rho.Value),
        PrivacyCostKind.ApproximateDp => new BudgetAmounts(cost.Epsilon.Value, cost.Delta.Value, null),
        _ => new BudgetAmounts(cost.Epsilon.Value, null, null),
    };
}
