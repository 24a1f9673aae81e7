using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// The seal → commit → release order that makes window releases replay-stable: a closed window is written to the
/// store as a seal in the transaction that closed it; once that transaction commits the seal becomes releasable; the
/// next punctuation releases it (debit, outputs, delete the seal) and writes ledger and counters in the same
/// transaction. Only committed seals are ever released, so an abort before the commit loses no window and a retry
/// after it recomputes the same bytes from the same seal, charged once by the reverted ledger.
/// </summary>
internal sealed class SealedWindowRelease : IDisposable
{
    private readonly byte[] _noiseKey;
    private readonly ReleaseOutputs _outputs;
    private readonly HashSet<string> _startNewCounters;
    private readonly ILogger _logger;
    private readonly Action<string>? _faultPoint;

    /// <param name="noiseKey">The window-release noise key (<see cref="StateKeys.WindowNoiseKey"/>); erased on dispose.</param>
    /// <param name="outputs">Where released windows go.</param>
    /// <param name="startNewCounters">Segments whose lost continual counters the operator restarts as new incarnations.</param>
    /// <param name="logger">Log lines of ledger transitions and counter restores.</param>
    /// <param name="faultPoint">Test hook, called between a release and the deletion of its seal.</param>
    internal SealedWindowRelease(byte[] noiseKey, ReleaseOutputs outputs, IReadOnlyCollection<string> startNewCounters, ILogger logger,
        Action<string>? faultPoint)
    {
        _noiseKey = noiseKey;
        _outputs = outputs;
        _startNewCounters = new HashSet<string>(startNewCounters, StringComparer.Ordinal);
        _logger = logger;
        _faultPoint = faultPoint;
    }

    /// <summary>Erases the noise key.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_noiseKey);

    /// <summary>Writes <paramref name="sealedWindows"/> as seals of the open transaction (releasable once it commits).</summary>
    internal static void Seal(SegmentState state, List<SealedWindow> sealedWindows, IProcessorContext context)
    {
        foreach (var window in sealedWindows)
        {
            state.Store.Put(StateKeys.Sealed(state.Segment.Name, window.WindowIndex), window.ToBytes());
            state.SealedInTransaction.Add(window.WindowIndex);
        }

        context.Tally.AddSealed(state.Segment.Name, sealedWindows.Count);
    }

    /// <summary>
    /// After a commit: the seals it wrote become releasable, and each ledger is reported as committed. True when some
    /// state now holds seals to release.
    /// </summary>
    internal bool Committed(IEnumerable<SegmentState> states)
    {
        var releasable = false;
        foreach (var state in states)
        {
            if (state.SealedInTransaction.Count > 0)
            {
                state.Releasable.UnionWith(state.SealedInTransaction);
                state.SealedInTransaction.Clear();
                releasable = true;
            }

            if (state.Ledger is { } ledger)
            {
                _outputs.LedgerCommitted(state.Segment.Name, ledger);
            }
        }

        return releasable;
    }

    /// <summary>Releases every committed seal of <paramref name="state"/> into the open transaction, with ledger and counters.</summary>
    internal void Release(int partition, SegmentState state, IProcessorContext context)
    {
        var segment = state.Segment;
        var spec = segment.Spec!;
        var owner = StateKeys.NoiseOwner(partition);
        var ledger = state.Ledger ??= LoadLedger(state, spec, partition);
        var continual = spec.Aggregates.Any(a => a.IsContinual) ? state.Continual ??= LoadContinual(state, spec, partition) : null;
        foreach (var windowIndex in state.Releasable.ToList())
        {
            var key = StateKeys.Sealed(segment.Name, windowIndex);
            var sealedWindow = state.Store.Get(key) is { } bytes ? TryRead(bytes) : null;
            IReadOnlyList<AggregateReleaseResult>? outcomes = null;
            if (sealedWindow is not null)
            {
                try
                {
                    outcomes = WindowReleaser.Release(sealedWindow, spec, _noiseKey, ledger, continual, owner);
                }
                catch (ArgumentException)
                {
                    // Sealed under a policy whose aggregates differ: it cannot be released under this one. Dropping a
                    // release is always safe; releasing it under the wrong parameters is not.
                    outcomes = null;
                }
            }

            if (outcomes is null)
            {
                _outputs.Abandoned(segment.Name, partition, windowIndex, context);
            }
            else
            {
                _outputs.Emit(segment.Name, sealedWindow!, outcomes, ledger, partition, context);
            }

            _faultPoint?.Invoke("release");
            state.Store.Delete(key);
            state.Releasable.Remove(windowIndex);
        }

        state.Store.Put(StateKeys.Ledger(segment.Name), ledger.ToBytes());
        if (continual is not null)
        {
            state.Store.Put(StateKeys.Continual(segment.Name), continual.ToBytes());
            if (continual.AnyStarted)
            {
                state.Store.Put(StateKeys.ContinualStarted(segment.Name), [1]);
            }
        }
    }

    private static SealedWindow? TryRead(byte[] bytes)
    {
        try
        {
            return SealedWindow.FromBytes(bytes);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // The ledger carries over policy changes (LedgerCarryOver), so what was spent is never forgotten. A change of the
    // spec's content hash is the explicit policy transition: the ledger is rebound to the new hash (persisted with
    // it), logged here and visible in the policy-loaded audit event's content hashes.
    private BudgetLedger LoadLedger(SegmentState state, SegmentAggregationSpec spec, int partition)
    {
        var contentHash = spec.ContentHash;
        if (state.Store.Get(StateKeys.Ledger(state.Segment.Name)) is not { } bytes)
        {
            return spec.Budget.CreateLedger(contentHash);
        }

        var ledger = BudgetLedger.FromBytes(bytes);
        if (ledger.Binding != contentHash)
        {
            _logger.LedgerTransition(state.Segment.Name, partition, contentHash);
        }

        var budget = spec.Budget;
        return LedgerCarryOver.Carry(ledger, budget.CreateAccountant(), budget.WindowCap, budget.LifetimeCap, contentHash);
    }

    // Fail closed: counters whose state is gone stay silent until the operator starts new incarnations; a change of
    // spec content starts new counters (new identities, charged anew). Never a silent restart under an old identity.
    private ContinualTotals LoadContinual(SegmentState state, SegmentAggregationSpec spec, int partition)
    {
        var name = state.Segment.Name;
        var everStarted = state.Store.Get(StateKeys.ContinualStarted(name)) is not null;
        var (totals, outcome) = ContinualRestore.Restore(
            spec, _noiseKey, state.Store.Get(StateKeys.Continual(name)), everStarted, _startNewCounters.Contains(name), StateKeys.NoiseOwner(partition));
        switch (outcome)
        {
            case ContinualRestoreOutcome.Lost:
                _logger.ContinualStateLost(name, partition);
                break;
            case ContinualRestoreOutcome.Transition:
                _logger.ContinualCountersRestarted(name, partition, "were bound to other policy content");
                break;
            case ContinualRestoreOutcome.NewIncarnation:
                _logger.ContinualCountersRestarted(name, partition, "were lost and the operator started new ones");
                break;
        }

        return totals;
    }
}
