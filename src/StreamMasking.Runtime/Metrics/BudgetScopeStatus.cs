namespace StreamMasking.Runtime.Metrics;

/// <summary>One scope (a window, or the lifetime) of a segment's committed budget ledger.</summary>
/// <param name="Spent">Spent so far.</param>
/// <param name="Cap">The cap.</param>
/// <param name="Remaining">What may still be spent.</param>
/// <param name="Window">The window index (for the window scope: the latest window that was charged), else null.</param>
public sealed record BudgetScopeStatus(BudgetAmounts Spent, BudgetAmounts Cap, BudgetAmounts Remaining, long? Window);
