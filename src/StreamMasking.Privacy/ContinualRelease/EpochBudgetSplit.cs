namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>How a <see cref="HorizonPolicy.Doubling"/> counter spends its budget across epochs. Persisted.</summary>
public enum EpochBudgetSplit : byte
{
    /// <summary>
    /// Every epoch gets the full budget. Valid for step-level neighbouring (the relation the counters are calibrated
    /// for: neighbouring streams differ in one step x_t by at most Δ): epochs read disjoint steps, so by parallel
    /// composition the whole unbounded stream costs the budget once.
    /// </summary>
    Parallel = 1,

    /// <summary>
    /// Epoch k gets budget·2^−(k+1) (ε for pure DP, ρ for zCDP), so the epochs together never exceed the budget even
    /// when one unit can influence every epoch. Later epochs get noisier.
    /// </summary>
    Geometric = 2,
}
