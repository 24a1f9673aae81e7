using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>Configuration of a continual-release counter (persisted with its state).</summary>
public sealed record ContinualCounterOptions
{
    /// <summary>Largest supported log2 of the horizon.</summary>
    public const int MaxLog2Horizon = 20;

    /// <summary>
    /// Identifies the counter inside the noise key's domain (e.g. "segment/metric/policy-version"); part of every
    /// noise label, so two counters under one key get independent noise. Required.
    /// </summary>
    public required string CounterId { get; init; }

    /// <summary>
    /// The noise mechanism. Default: <see cref="CounterMechanism.BufferedToeplitz"/> (error of the square-root
    /// factorization with constant state).
    /// </summary>
    public CounterMechanism Mechanism { get; init; } = CounterMechanism.BufferedToeplitz;

    /// <summary>log2 of the horizon T (steps of the first epoch), 0 to 20. Default 16 (T = 65,536).</summary>
    public int Log2Horizon { get; init; } = 16;

    /// <summary>
    /// Δ: the most one step's value x_t can change when one unit's contributions change, derived by the caller from
    /// its clamping and contribution bounds (a unit contributes to one step). Finite and positive. Required.
    /// </summary>
    public required double Sensitivity { get; init; }

    /// <summary>
    /// Privacy budget of the whole release stream: pure ε for the binary-tree mechanisms, ρ (zCDP) for the
    /// square-root factorization and the buffered Toeplitz counter. Required.
    /// </summary>
    public required PrivacyCost Budget { get; init; }

    /// <summary>What happens after the horizon. Default <see cref="HorizonPolicy.Doubling"/>.</summary>
    public HorizonPolicy Horizon { get; init; } = HorizonPolicy.Doubling;

    /// <summary>Budget across doubling epochs. Default <see cref="EpochBudgetSplit.Parallel"/>.</summary>
    public EpochBudgetSplit EpochSplit { get; init; } = EpochBudgetSplit.Parallel;

    /// <summary>Throws <see cref="ArgumentException"/> naming every invalid property (the first as its parameter name).</summary>
    public void Validate()
    {
        var errors = Errors();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => e.Message)), errors[0].Property);
        }
    }

    /// <summary>Every invalid property with what is wrong with it (empty when valid).</summary>
    public IReadOnlyList<(string Property, string Message)> Errors()
    {
        var errors = new List<(string Property, string Message)>();
        if (string.IsNullOrEmpty(CounterId))
        {
            errors.Add((nameof(CounterId), "CounterId is required."));
        }

        if (Log2Horizon is < 0 or > MaxLog2Horizon)
        {
            errors.Add((nameof(Log2Horizon), $"Log2Horizon must be in [0, {MaxLog2Horizon}]."));
        }

        if (!double.IsFinite(Sensitivity) || Sensitivity <= 0)
        {
            errors.Add((nameof(Sensitivity), "Sensitivity must be finite and positive."));
        }

        PrivacyCostKind? expected = Mechanism switch
        {
            CounterMechanism.BinaryTree or CounterMechanism.BinaryTreeHonaker => PrivacyCostKind.PureDp,
            CounterMechanism.SquareRootFactorization or CounterMechanism.BufferedToeplitz => PrivacyCostKind.Zcdp,
            _ => null,
        };
        if (expected is null)
        {
            errors.Add((nameof(Mechanism), $"Unknown mechanism {Mechanism}."));
        }
        else if (Budget.Kind != expected || (Budget.Epsilon.Value <= 0 && Budget.Rho.Value <= 0))
        {
            errors.Add((nameof(Budget), $"Budget must be a positive {expected} cost for {Mechanism}."));
        }

        if (!Enum.IsDefined(Horizon))
        {
            errors.Add((nameof(Horizon), "Unknown horizon policy."));
        }

        if (!Enum.IsDefined(EpochSplit))
        {
            errors.Add((nameof(EpochSplit), "Unknown epoch budget split."));
        }

        return errors;
    }
}
