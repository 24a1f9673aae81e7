using System.Globalization;

namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// The privacy cost of one release (or a budget cap, stated in the same terms): pure ε, approximate (ε, δ), or
/// ρ-zCDP. Construct through <see cref="Pure"/>, <see cref="Approximate"/> or <see cref="Zcdp"/>; components that do
/// not belong to the kind are zero.
/// </summary>
public readonly record struct PrivacyCost
{
    private PrivacyCost(PrivacyCostKind kind, Epsilon epsilon, Delta delta, Rho rho)
    {
        Kind = kind;
        Epsilon = epsilon;
        Delta = delta;
        Rho = rho;
    }

    /// <summary>The privacy definition this cost is stated in.</summary>
    public PrivacyCostKind Kind { get; }

    /// <summary>ε for <see cref="PrivacyCostKind.PureDp"/> and <see cref="PrivacyCostKind.ApproximateDp"/>; else 0.</summary>
    public Epsilon Epsilon { get; }

    /// <summary>δ for <see cref="PrivacyCostKind.ApproximateDp"/>; else 0.</summary>
    public Delta Delta { get; }

    /// <summary>ρ for <see cref="PrivacyCostKind.Zcdp"/>; else 0.</summary>
    public Rho Rho { get; }

    /// <summary>A pure ε-DP cost.</summary>
    public static PrivacyCost Pure(Epsilon epsilon) => new(PrivacyCostKind.PureDp, epsilon, Delta.Zero, Rho.Zero);

    /// <summary>An approximate (ε, δ)-DP cost.</summary>
    public static PrivacyCost Approximate(Epsilon epsilon, Delta delta) =>
        new(PrivacyCostKind.ApproximateDp, epsilon, delta, Rho.Zero);

    /// <summary>A ρ-zCDP cost.</summary>
    public static PrivacyCost Zcdp(Rho rho) => new(PrivacyCostKind.Zcdp, Epsilon.Zero, Delta.Zero, rho);

    /// <summary>Rebuilds a cost from persisted components, validating that they fit the kind.</summary>
    internal static PrivacyCost FromParts(PrivacyCostKind kind, double epsilon, double delta, double rho) => kind switch
    {
        PrivacyCostKind.PureDp when delta == 0 && rho == 0 => Pure(new Epsilon(epsilon)),
        PrivacyCostKind.ApproximateDp when rho == 0 => Approximate(new Epsilon(epsilon), new Delta(delta)),
        PrivacyCostKind.Zcdp when epsilon == 0 && delta == 0 => Zcdp(new Rho(rho)),
        _ => throw new FormatException($"Invalid privacy cost of kind {kind}."),
    };

    public override string ToString() => Kind switch
    {
        PrivacyCostKind.PureDp => Epsilon.ToString(),
        PrivacyCostKind.ApproximateDp => string.Create(CultureInfo.InvariantCulture, $"({Epsilon}, {Delta})"),
        PrivacyCostKind.Zcdp => Rho.ToString(),
        _ => "(no cost)",
    };
}
