using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>Parameters of one fixed-horizon counter epoch: its index, log2 of its horizon and its budget.</summary>
internal sealed record EpochSpec(int Epoch, int Log2Horizon, PrivacyCost Budget)
{
    public long Horizon => 1L << Log2Horizon;

    /// <summary>Epoch <paramref name="epoch"/> of a counter configured by <paramref name="options"/>.</summary>
    public static EpochSpec For(ContinualCounterOptions options, int epoch)
    {
        var log2 = Math.Min(options.Log2Horizon + epoch, ContinualCounterOptions.MaxLog2Horizon);
        if (options.Horizon == HorizonPolicy.Fixed || options.EpochSplit == EpochBudgetSplit.Parallel)
        {
            return new EpochSpec(epoch, log2, options.Budget);
        }

        // Geometric split: epoch k gets 2^−(k+1) of the budget (exact: a power-of-two scaling).
        var factor = Math.ScaleB(1.0, -(epoch + 1));
        var budget = options.Budget.Kind == PrivacyCostKind.Zcdp
            ? PrivacyCost.Zcdp(new Rho(options.Budget.Rho.Value * factor))
            : PrivacyCost.Pure(new Epsilon(options.Budget.Epsilon.Value * factor));
        return new EpochSpec(epoch, log2, budget);
    }
}
