using System.Buffers.Binary;

namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// What one privacy unit has spent on event-level noise over its lifetime, against a lifetime cap: Σε and Σδ when the
/// cap is stated in (ε, δ) (pure or approximate), Σρ when it is stated in ρ. Each published event with noised fields
/// is charged the event's whole cost before it leaves; once the next charge would exceed the cap, nothing more is
/// charged and the unit's noised fields are withheld from then on. Sums round up (<see cref="BudgetArithmetic"/>),
/// so rounding never understates the spend. Immutable.
/// </summary>
/// <remarks>
/// The account stores what was spent, not how many events were charged, so a later policy with another per-event
/// cost or another cap applies to the spend as it stands. An account kept in one currency and a cap in the other
/// cannot be compared: it is treated as exhausted (fail closed), never restarted.
/// </remarks>
public readonly record struct UnitLifetimeAccount
{
    private const byte FormatVersion = 1;
    private const int EncodedLength = 1 + 1 + 8 + 8 + 1;

    private UnitLifetimeAccount(bool inRho, double first, double second, bool exhausted)
    {
        InRho = inRho;
        First = first;
        Second = second;
        Exhausted = exhausted;
    }

    /// <summary>Nothing spent yet, in the currency of <paramref name="cap"/>.</summary>
    public static UnitLifetimeAccount Empty(PrivacyCost cap) => new(cap.Kind == PrivacyCostKind.Zcdp, 0, 0, false);

    /// <summary>Whether the spend is Σρ (else Σε, Σδ).</summary>
    public bool InRho { get; }

    /// <summary>Whether a charge was refused: the unit's noised fields are withheld for good.</summary>
    public bool Exhausted { get; }

    /// <summary>Σε spent (0 in ρ).</summary>
    public double Epsilon => InRho ? 0 : First;

    /// <summary>Σδ spent (0 in ρ).</summary>
    public double Delta => InRho ? 0 : Second;

    /// <summary>Σρ spent (0 in (ε, δ)).</summary>
    public double Rho => InRho ? First : 0;

    private double First { get; }

    private double Second { get; }

    /// <summary>
    /// Charges one event's <paramref name="perEvent"/> cost when the spend stays within <paramref name="cap"/>: true
    /// with the charged account in <paramref name="charged"/>. Otherwise false, and <paramref name="charged"/> is this
    /// account marked <see cref="Exhausted"/> (already exhausted, other currency, or the charge would pass the cap).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="perEvent"/> is not in the currency of <paramref name="cap"/>.</exception>
    /// <exception cref="OverflowException">The budget arithmetic overflowed.</exception>
    public bool TryCharge(PrivacyCost perEvent, PrivacyCost cap, out UnitLifetimeAccount charged)
    {
        var rho = cap.Kind == PrivacyCostKind.Zcdp;
        if ((perEvent.Kind == PrivacyCostKind.Zcdp) != rho)
        {
            throw new ArgumentException("The per-event cost and the lifetime cap must be stated in the same terms.", nameof(perEvent));
        }

        if (Exhausted || InRho != rho)
        {
            charged = new UnitLifetimeAccount(InRho, First, Second, exhausted: true);
            return false;
        }

        var first = BudgetArithmetic.AddRoundUp(First, rho ? perEvent.Rho.Value : perEvent.Epsilon.Value);
        var second = rho ? 0 : BudgetArithmetic.AddRoundUp(Second, perEvent.Delta.Value);
        var within = rho
            ? first <= cap.Rho.Value
            : first <= cap.Epsilon.Value && second <= cap.Delta.Value;
        charged = within ? new UnitLifetimeAccount(rho, first, second, exhausted: false) : new UnitLifetimeAccount(InRho, First, Second, exhausted: true);
        return within;
    }

    /// <summary>
    /// One event's cost from its noised fields' costs, in the currency of <paramref name="cap"/>, rounded up: Σε and Σδ
    /// (pure when Σδ = 0), or Σρ with a pure ε counted as ε²/2.
    /// </summary>
    /// <exception cref="ArgumentException">A cost cannot be stated in the cap's currency (ρ under (ε, δ), (ε, δ) with δ &gt; 0 under ρ), or there is none.</exception>
    public static PrivacyCost ComposeEvent(IReadOnlyList<PrivacyCost> fieldCosts, PrivacyCost cap)
    {
        ArgumentNullException.ThrowIfNull(fieldCosts);
        if (fieldCosts.Count == 0)
        {
            throw new ArgumentException("An event with no noised field costs nothing: nothing to charge.", nameof(fieldCosts));
        }

        double first = 0, second = 0;
        var rho = cap.Kind == PrivacyCostKind.Zcdp;
        foreach (var cost in fieldCosts)
        {
            switch (cost.Kind)
            {
                case PrivacyCostKind.Zcdp when rho:
                    first = BudgetArithmetic.AddRoundUp(first, cost.Rho.Value);
                    break;
                case PrivacyCostKind.PureDp when rho:
                    first = BudgetArithmetic.AddRoundUp(first, BudgetArithmetic.MultiplyRoundUp(cost.Epsilon.Value, cost.Epsilon.Value) / 2);
                    break;
                case PrivacyCostKind.PureDp or PrivacyCostKind.ApproximateDp when !rho:
                    first = BudgetArithmetic.AddRoundUp(first, cost.Epsilon.Value);
                    second = BudgetArithmetic.AddRoundUp(second, cost.Delta.Value);
                    break;
                default:
                    throw new ArgumentException($"A {cost.Kind} cost cannot be charged to a {cap.Kind} lifetime cap.", nameof(fieldCosts));
            }
        }

        return rho ? PrivacyCost.Zcdp(new Rho(first))
            : second == 0 ? PrivacyCost.Pure(new Epsilon(first)) : PrivacyCost.Approximate(new Epsilon(first), new Delta(second));
    }

    /// <summary>
    /// How many events of <paramref name="perEvent"/> a fresh account admits under <paramref name="cap"/>, at most
    /// <paramref name="limit"/> (for reports). Counted by charging, with the ledger's own rounding, when the division
    /// estimate is at most a million; beyond that the estimate less a margin of two.
    /// </summary>
    public static long EventsWithin(PrivacyCost perEvent, PrivacyCost cap, long limit = 1_000_000_000)
    {
        var rho = cap.Kind == PrivacyCostKind.Zcdp;
        var step = rho ? perEvent.Rho.Value : perEvent.Epsilon.Value;
        var deltaStep = rho ? 0 : perEvent.Delta.Value;
        var estimate = Math.Min(
            step == 0 ? double.MaxValue : (rho ? cap.Rho.Value : cap.Epsilon.Value) / step,
            deltaStep == 0 ? double.MaxValue : cap.Delta.Value / deltaStep);
        if (estimate > 1_000_000)
        {
            return (long)Math.Min(Math.Floor(estimate) - 2, limit);
        }

        var account = Empty(cap);
        var n = 0L;
        while (n < limit && account.TryCharge(perEvent, cap, out var next))
        {
            account = next;
            n++;
        }

        return n;
    }

    /// <summary>The persisted form: version, currency, two sums, exhausted flag (big-endian).</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[EncodedLength];
        bytes[0] = FormatVersion;
        bytes[1] = InRho ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(2), First);
        BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(10), Second);
        bytes[18] = Exhausted ? (byte)1 : (byte)0;
        return bytes;
    }

    /// <summary>Reads <see cref="ToBytes"/>.</summary>
    /// <exception cref="FormatException">The bytes are not an account of this format.</exception>
    public static UnitLifetimeAccount FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != EncodedLength || bytes[0] != FormatVersion || bytes[1] > 1 || bytes[18] > 1)
        {
            throw new FormatException("Not a unit lifetime account.");
        }

        var first = BinaryPrimitives.ReadDoubleBigEndian(bytes[2..]);
        var second = BinaryPrimitives.ReadDoubleBigEndian(bytes[10..]);
        var inRho = bytes[1] == 1;
        if (!double.IsFinite(first) || first < 0 || !double.IsFinite(second) || second < 0 || (inRho && second != 0))
        {
            throw new FormatException("A unit lifetime account holds an invalid spend.");
        }

        return new UnitLifetimeAccount(inRho, first, second, bytes[18] == 1);
    }
}
