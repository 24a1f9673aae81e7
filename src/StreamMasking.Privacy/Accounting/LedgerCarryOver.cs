namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// How a persisted budget ledger carries over a policy change: what was spent is never forgotten. Under the same
/// composition rule the ledger takes the new policy's caps; under a different rule it keeps its own caps and rule
/// (costs that rule cannot compose are then refused), because spend in one currency cannot be re-expressed in another.
/// Either way it is bound to the new policy content.
/// </summary>
public static class LedgerCarryOver
{
    /// <summary>
    /// The ledger to continue with: <paramref name="persisted"/> itself when its binding and caps already are the ones
    /// that apply, else a copy (<see cref="BudgetLedger.WithCaps(PrivacyCost, PrivacyCost, string)"/>) with every
    /// debit kept, under the caps that apply and bound to <paramref name="binding"/>.
    /// </summary>
    /// <param name="persisted">The ledger restored from state.</param>
    /// <param name="accountant">The composition rule the current policy declares.</param>
    /// <param name="windowCap">The current policy's per-window cap.</param>
    /// <param name="lifetimeCap">The current policy's lifetime cap.</param>
    /// <param name="binding">The current policy's content hash.</param>
    public static BudgetLedger Carry(BudgetLedger persisted, PrivacyAccountant accountant, PrivacyCost windowCap, PrivacyCost lifetimeCap,
        string binding)
    {
        ArgumentNullException.ThrowIfNull(persisted);
        ArgumentNullException.ThrowIfNull(accountant);
        ArgumentNullException.ThrowIfNull(binding);
        var sameRule = persisted.Accountant.GetType() == accountant.GetType();
        var (window, lifetime) = sameRule ? (windowCap, lifetimeCap) : (persisted.WindowCap, persisted.LifetimeCap);
        if (persisted.Binding == binding && persisted.WindowCap == window && persisted.LifetimeCap == lifetime)
        {
            return persisted;
        }

        return persisted.WithCaps(window, lifetime, binding);
    }
}
