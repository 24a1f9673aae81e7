namespace StreamMasking.Runtime.Metrics;

/// <summary>ε, δ and ρ of one budget figure (spent, cap or remaining); a currency the accountant does not use is null.</summary>
/// <param name="Epsilon">ε, or null.</param>
/// <param name="Delta">δ, or null.</param>
/// <param name="Rho">ρ, or null.</param>
public sealed record BudgetAmounts(double? Epsilon, double? Delta, double? Rho);
