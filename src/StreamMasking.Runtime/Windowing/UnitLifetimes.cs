using System.Buffers.Binary;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// The lifetime ledger of event-level noise of one segment on one input partition: one
/// <see cref="UnitLifetimeAccount"/> per privacy unit (keyed by the unit's keyed digest, never its value), in the
/// partition's changelogged state store, so it survives restarts and rebalances as the window state does. A
/// write-back cache: <see cref="Flush"/> writes before the commit; after an abort the owning
/// <see cref="SegmentState"/> is thrown away with it and reloaded from the committed store.
/// </summary>
/// <remarks>
/// Missing state fails closed: the ledger's marker is written with the segment's first state on the partition; when
/// the segment has state there (its ownership record) but no marker, the ledger was lost (or never kept, as after a
/// policy that adds the cap to a running segment), and every unit is withheld rather than restarted at zero. A
/// corrupt account withholds its unit and is left as it is.
/// </remarks>
internal sealed class UnitLifetimes
{
    private const int CacheLimit = 100_000;
    private readonly Dictionary<UInt128, UnitLifetimeAccount> _accounts = [];
    private readonly HashSet<UInt128> _dirty = [];
    private readonly IKeyValueStore _store;
    private readonly string _segment;
    private readonly PrivacyCost _charge;
    private readonly PrivacyCost _cap;
    private bool _markerPending;

    private UnitLifetimes(IKeyValueStore store, string segment, PrivacyCost charge, PrivacyCost cap)
    {
        _store = store;
        _segment = segment;
        _charge = charge;
        _cap = cap;
    }

    /// <summary>Whether the ledger is missing although the segment has state on this partition.</summary>
    internal bool Lost { get; private set; }

    /// <summary>Whether the loss was audited since this state was loaded (once per load).</summary>
    internal bool LossReported { get; set; }

    /// <summary>The cap every unit is charged against.</summary>
    internal PrivacyCost Cap => _cap;

    /// <summary>Loads the ledger of <paramref name="segment"/> (which must declare a lifetime cap) from <paramref name="store"/>.</summary>
    internal static UnitLifetimes Load(WindowedSegment segment, IKeyValueStore store)
    {
        var ledger = new UnitLifetimes(store, segment.Name, segment.EventCharge!.Value, segment.EventLifetime!.Value);
        if (store.Get(StateKeys.UnitLifetimeStarted(segment.Name)) is null)
        {
            // State without the marker: the ledger is gone. No state at all: a new ledger starts here.
            ledger.Lost = store.Get(StateKeys.Owner(segment.Name)) is not null;
            ledger._markerPending = !ledger.Lost;
        }

        return ledger;
    }

    /// <summary>Charges one event of <paramref name="unit"/> (a 16-byte keyed digest).</summary>
    /// <exception cref="OverflowException">The budget arithmetic overflowed.</exception>
    internal LifetimeCharge Charge(ReadOnlySpan<byte> unit)
    {
        if (Lost)
        {
            return LifetimeCharge.LedgerLost;
        }

        var key = BinaryPrimitives.ReadUInt128BigEndian(unit);
        if (!_accounts.TryGetValue(key, out var account))
        {
            if (_store.Get(StateKeys.UnitLifetime(_segment, unit)) is not { } bytes)
            {
                account = UnitLifetimeAccount.Empty(_cap);
            }
            else
            {
                try
                {
                    account = UnitLifetimeAccount.FromBytes(bytes);
                }
                catch (FormatException)
                {
                    return LifetimeCharge.Withheld;
                }
            }
        }

        if (account.Exhausted)
        {
            _accounts[key] = account;
            return LifetimeCharge.Withheld;
        }

        var charged = account.TryCharge(_charge, _cap, out var next);
        _accounts[key] = next;
        _dirty.Add(key);
        return charged ? LifetimeCharge.Charged : LifetimeCharge.NewlyExhausted;
    }

    /// <summary>Writes the changed accounts (and, the first time, the marker) to the store, in the open transaction.</summary>
    internal void Flush()
    {
        if (_markerPending)
        {
            _store.Put(StateKeys.UnitLifetimeStarted(_segment), [1]);
            _markerPending = false;
        }

        Span<byte> unit = stackalloc byte[16];
        foreach (var key in _dirty)
        {
            BinaryPrimitives.WriteUInt128BigEndian(unit, key);
            _store.Put(StateKeys.UnitLifetime(_segment, unit), _accounts[key].ToBytes());
        }

        _dirty.Clear();
        // Units seen long ago rarely return soon; keep the cache from growing without bound (the store has them all).
        if (_accounts.Count > CacheLimit)
        {
            _accounts.Clear();
        }
    }
}
