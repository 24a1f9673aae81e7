namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// The privacy budget of one owner (e.g. a micro-segment): a per-window cap and a lifetime cap in the currency of a
/// <see cref="PrivacyAccountant"/>, and the debits paid against them, idempotent on <see cref="ReleaseKey"/>.
/// </summary>
/// <remarks>
/// Over-spending is impossible by construction: <see cref="TryDebit"/> composes the new totals first (checked,
/// upward-rounded arithmetic), compares them with both caps, and mutates nothing unless both hold. There is no other
/// mutator. Replaying a paid release key returns the original debit and charges nothing, which is what makes a
/// crash-and-replay safe: the runtime persists <see cref="ToBytes"/> in the same transaction as the release.
/// Release keys are remembered for <see cref="RetainedWindows"/> windows behind the newest debited window; older
/// windows are sealed (debits refused) so a forgotten key can never be charged twice or released unpaid.
/// Instances are thread-safe.
/// </remarks>
public sealed class BudgetLedger
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, LedgerWindow> _windows;
    private PrivacySpend _lifetime;
    private long _sealedBelow;
    private long _sequence;

    /// <summary>Creates an empty ledger.</summary>
    /// <param name="accountant">Composition rule.</param>
    /// <param name="windowCap">Cap on the composition of each window's debits, in the accountant's currency.</param>
    /// <param name="lifetimeCap">Cap on the composition of all debits ever, in the accountant's currency.</param>
    /// <param name="retainedWindows">How many windows (the newest debited one and those before it) keep their
    /// release keys; must cover the grace period. At least 1.</param>
    public BudgetLedger(PrivacyAccountant accountant, PrivacyCost windowCap, PrivacyCost lifetimeCap, int retainedWindows)
        : this(accountant, windowCap, lifetimeCap, retainedWindows, default, long.MinValue, 0, [])
    {
    }

    /// <summary>Creates an empty ledger bound to the owner's content hash <paramref name="binding"/>.</summary>
    public BudgetLedger(PrivacyAccountant accountant, PrivacyCost windowCap, PrivacyCost lifetimeCap, int retainedWindows, string binding)
        : this(accountant, windowCap, lifetimeCap, retainedWindows, default, long.MinValue, 0, [])
    {
        ArgumentNullException.ThrowIfNull(binding);
        Binding = binding;
    }

    internal BudgetLedger(
        PrivacyAccountant accountant,
        PrivacyCost windowCap,
        PrivacyCost lifetimeCap,
        int retainedWindows,
        PrivacySpend lifetime,
        long sealedBelow,
        long sequence,
        SortedDictionary<long, LedgerWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(accountant);
        accountant.ValidateCap(windowCap);
        accountant.ValidateCap(lifetimeCap);
        ArgumentOutOfRangeException.ThrowIfLessThan(retainedWindows, 1);
        Accountant = accountant;
        WindowCap = windowCap;
        LifetimeCap = lifetimeCap;
        RetainedWindows = retainedWindows;
        _lifetime = lifetime;
        _sealedBelow = sealedBelow;
        _sequence = sequence;
        _windows = windows;
    }

    /// <summary>
    /// The canonical content hash of the policy the ledger is currently charged under (empty for an unbound ledger).
    /// It changes only by <see cref="WithCaps(PrivacyCost, PrivacyCost, string)"/>: the explicit, audited transition.
    /// </summary>
    public string Binding { get; internal init; } = string.Empty;

    /// <summary>The composition rule.</summary>
    public PrivacyAccountant Accountant { get; }

    /// <summary>Cap per window.</summary>
    public PrivacyCost WindowCap { get; }

    /// <summary>Cap over the ledger's lifetime.</summary>
    public PrivacyCost LifetimeCap { get; }

    /// <summary>Number of windows whose release keys are retained.</summary>
    public int RetainedWindows { get; }

    /// <summary>Totals of every debit ever made.</summary>
    public PrivacySpend LifetimeSpend
    {
        get
        {
            lock (_gate)
            {
                return _lifetime;
            }
        }
    }

    /// <summary>Windows strictly below this index are sealed (<see cref="long.MinValue"/> when none is).</summary>
    public long SealedBelow
    {
        get
        {
            lock (_gate)
            {
                return _sealedBelow;
            }
        }
    }

    /// <summary>
    /// Pays for the release <paramref name="key"/> with <paramref name="cost"/> if both caps allow it, remembering
    /// <paramref name="valueDigest"/> (a keyed digest of the released value, kept in state only). A replay of a paid key
    /// with the same cost and digest returns the original debit and charges nothing; one with another digest is refused
    /// with <see cref="DebitRefusalReason.LabelReuse"/> (the key's noise would otherwise cover two values).
    /// </summary>
    public DebitResult TryDebit(ReleaseKey key, PrivacyCost cost, string valueDigest = "")
    {
        ArgumentNullException.ThrowIfNull(key.Name, nameof(key));
        ArgumentNullException.ThrowIfNull(valueDigest);
        lock (_gate)
        {
            if (key.Window < _sealedBelow)
            {
                return DebitResult.Refused(DebitRefusalReason.WindowSealed);
            }

            _windows.TryGetValue(key.Window, out var window);
            if (window is not null && window.Debits.TryGetValue(key.Name, out var paid))
            {
                if (paid.Cost != cost)
                {
                    return DebitResult.Refused(DebitRefusalReason.ReleaseKeyConflict);
                }

                return string.Equals(paid.ValueDigest, valueDigest, StringComparison.Ordinal)
                    ? new DebitResult(DebitOutcome.AlreadyDebited, paid, DebitRefusalReason.None)
                    : DebitResult.Refused(DebitRefusalReason.LabelReuse);
            }

            if (!Accountant.Accepts(cost.Kind))
            {
                return DebitResult.Refused(DebitRefusalReason.UnsupportedCostKind);
            }

            PrivacySpend nextWindow;
            PrivacySpend nextLifetime;
            try
            {
                nextWindow = (window?.Spend ?? default).Add(cost);
                nextLifetime = _lifetime.Add(cost);
            }
            catch (OverflowException)
            {
                return DebitResult.Refused(DebitRefusalReason.ArithmeticOverflow);
            }

            if (!Accountant.IsWithin(nextWindow, WindowCap))
            {
                return DebitResult.Refused(DebitRefusalReason.WindowCapExceeded);
            }

            if (!Accountant.IsWithin(nextLifetime, LifetimeCap))
            {
                return DebitResult.Refused(DebitRefusalReason.LifetimeCapExceeded);
            }

            // Every check passed: only now mutate.
            if (window is null)
            {
                window = new LedgerWindow();
                _windows.Add(key.Window, window);
            }

            var record = new DebitRecord(key, cost, checked(++_sequence), valueDigest);
            window.Spend = nextWindow;
            window.Debits.Add(key.Name, record);
            _lifetime = nextLifetime;
            SealOldWindows();
            return new DebitResult(DebitOutcome.Debited, record, DebitRefusalReason.None);
        }
    }

    /// <summary>Totals of the debits of <paramref name="window"/> (zero if none or no longer retained).</summary>
    public PrivacySpend WindowSpend(long window)
    {
        lock (_gate)
        {
            return _windows.TryGetValue(window, out var w) ? w.Spend : default;
        }
    }

    /// <summary>What may still be spent over the lifetime, in the accountant's currency.</summary>
    public PrivacyCost RemainingLifetime() => Accountant.Remaining(LifetimeSpend, LifetimeCap);

    /// <summary>
    /// What may still be spent in <paramref name="window"/> under its window cap (the lifetime cap may bind first:
    /// see <see cref="RemainingLifetime"/>); zero for a sealed window.
    /// </summary>
    public PrivacyCost RemainingInWindow(long window)
    {
        lock (_gate)
        {
            var spend = _windows.TryGetValue(window, out var w) ? w.Spend : default;
            return window < _sealedBelow ? ZeroOf(WindowCap) : Accountant.Remaining(spend, WindowCap);
        }
    }

    /// <summary>The debit that paid for <paramref name="key"/>, if it is retained.</summary>
    public DebitRecord? FindDebit(ReleaseKey key)
    {
        lock (_gate)
        {
            return _windows.TryGetValue(key.Window, out var w) && w.Debits.TryGetValue(key.Name, out var r) ? r : null;
        }
    }

    /// <summary>
    /// The statement of the debit that paid for <paramref name="key"/>, if it is retained: the window's spend and
    /// remaining budget right after it, and the lifetime figures as of the newest retained debit, all read under one
    /// lock so they agree with each other.
    /// </summary>
    /// <remarks>
    /// A window's debits may all be made before anyone reports the first of them, so the window's current spend can
    /// already include later debits. The ledger composes a window's spend by folding its debits in sequence order;
    /// replaying that fold up to this debit gives exactly (bit for bit) the spend the ledger held right after it.
    /// </remarks>
    public DebitStatement? FindStatement(ReleaseKey key)
    {
        lock (_gate)
        {
            if (!_windows.TryGetValue(key.Window, out var window) || !window.Debits.TryGetValue(key.Name, out var debit))
            {
                return null;
            }

            var windowSpend = default(PrivacySpend);
            foreach (var record in window.Debits.Values.Where(r => r.Sequence <= debit.Sequence).OrderBy(r => r.Sequence))
            {
                windowSpend = windowSpend.Add(record.Cost);
            }

            var ledgerSequence = _windows.Values.SelectMany(w => w.Debits.Values).Max(r => r.Sequence);
            return new DebitStatement(
                debit,
                windowSpend,
                Accountant.Remaining(windowSpend, WindowCap),
                ledgerSequence,
                _lifetime,
                Accountant.Remaining(_lifetime, LifetimeCap),
                Accountant.Guarantee(_lifetime));
        }
    }

    /// <summary>Retained debits in the order they were made.</summary>
    public IReadOnlyList<DebitRecord> RetainedDebits()
    {
        lock (_gate)
        {
            return [.. _windows.Values.SelectMany(w => w.Debits.Values).OrderBy(r => r.Sequence)];
        }
    }

    /// <summary>Serialises the complete state (versioned binary form, round-trips exactly).</summary>
    public byte[] ToBytes()
    {
        lock (_gate)
        {
            return BudgetLedgerSerializer.Write(this, _lifetime, _sealedBelow, _sequence, _windows);
        }
    }

    /// <summary>
    /// The same ledger (every debit, the lifetime spend, the sealed horizon) under new caps: how a policy change that
    /// raises or lowers a budget takes effect without forgetting what was already spent. Debits already made stay
    /// made even when they exceed a lowered cap; further debits are then refused.
    /// </summary>
    /// <exception cref="ArgumentException">A cap is not valid for this ledger's accountant.</exception>
    public BudgetLedger WithCaps(PrivacyCost windowCap, PrivacyCost lifetimeCap) => WithCaps(windowCap, lifetimeCap, Binding);

    /// <summary>
    /// The same ledger under new caps, bound to the content hash <paramref name="binding"/>: the explicit policy
    /// transition (the caller audits it). Nothing already spent is forgotten.
    /// </summary>
    public BudgetLedger WithCaps(PrivacyCost windowCap, PrivacyCost lifetimeCap, string binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var copy = FromBytes(ToBytes());
        return new BudgetLedger(Accountant, windowCap, lifetimeCap, RetainedWindows, copy._lifetime, copy._sealedBelow,
            copy._sequence, copy._windows) { Binding = binding };
    }

    /// <summary>Restores a ledger from <see cref="ToBytes"/>; throws <see cref="FormatException"/> on corrupt input.</summary>
    public static BudgetLedger FromBytes(ReadOnlySpan<byte> state) => BudgetLedgerSerializer.Read(state);

    private static PrivacyCost ZeroOf(PrivacyCost cap) => cap.Kind switch
    {
        PrivacyCostKind.PureDp => PrivacyCost.Pure(Epsilon.Zero),
        PrivacyCostKind.Zcdp => PrivacyCost.Zcdp(Rho.Zero),
        _ => PrivacyCost.Approximate(Epsilon.Zero, Delta.Zero),
    };

    private void SealOldWindows()
    {
        var newest = _windows.Keys.Last();
        var floor = newest < long.MinValue + RetainedWindows ? long.MinValue : newest - (RetainedWindows - 1);
        if (floor <= _sealedBelow)
        {
            return;
        }

        _sealedBelow = floor;
        foreach (var old in _windows.Keys.TakeWhile(k => k < floor).ToList())
        {
            _windows.Remove(old);
        }
    }
}
