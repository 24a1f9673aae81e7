namespace StreamMasking.Privacy.Accounting;

/// <summary>The privacy definition a <see cref="PrivacyCost"/> is stated in. Values are persisted: never renumber.</summary>
public enum PrivacyCostKind : byte
{
    /// <summary>Pure ε-differential privacy.</summary>
    PureDp = 1,

    /// <summary>Approximate (ε, δ)-differential privacy.</summary>
    ApproximateDp = 2,

    /// <summary>ρ-zero-concentrated differential privacy (Bun–Steinke 2016).</summary>
    Zcdp = 3,
}
