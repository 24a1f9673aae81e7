using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Windowing;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// Decides one record's fate in its segment's window state, in a fixed order: the source high-water mark (a replay
/// is dropped), the privacy unit (none: dead letter), the window engine (aggregation; out of range or late), the
/// unit's per-window cap, then the unit's lifetime ledger of event-level noise. Windows the record closes are sealed
/// in the same transaction. An accepted record is counted in its window whatever the cap decides, since aggregates
/// bound each unit's contributions themselves.
/// </summary>
internal sealed class RecordAdmission(AuditEventWriter audit, TimeProvider time, ILogger logger)
{
    private readonly List<SealedWindow> _sealedScratch = [];

    internal RecordVerdict Admit(int partition, SegmentState state, JsonObject body, long timestampMs, SourceCoordinates source,
        IProcessorContext context)
    {
        var segment = state.Segment;
        if (!state.TryAdvanceHighWater(source.Topic, source.Partition, source.Offset))
        {
            return RecordVerdict.AlreadyProcessed;
        }

        byte[]? unit = null;
        if (segment.Unit is not null && (unit = segment.UnitId(body)) is null)
        {
            return RecordVerdict.MissingUnit;
        }

        long windowIndex;
        if (state.Engine is { } engine)
        {
            var spec = segment.Spec!;
            Span<AggregateInput> inputs = stackalloc AggregateInput[spec.Aggregates.Count];
            AggregateInputReader.Read(body, spec, inputs);
            _sealedScratch.Clear();
            // Stream time is a watermark over the segment's source partitions (the input partitions themselves when
            // the input is keyed by segment). The source offset orders a unit's records for contribution bounding.
            var result = engine.Observe(timestampMs, state.SourceKey(source.Topic, source.Partition), source.Offset,
                unit is null ? null : StateKeys.EngineUnit(unit), inputs, _sealedScratch);
            if (result.Outcome == RecordOutcome.OutOfRange)
            {
                return RecordVerdict.TimestampOutOfRange;
            }

            state.EngineDirty = true;
            SealedWindowRelease.Seal(state, _sealedScratch, context);
            if (result.Outcome == RecordOutcome.Late)
            {
                return RecordVerdict.Late;
            }

            context.Tally.AddContributionsCapped(result.CappedAggregates);
            windowIndex = result.WindowIndex;
        }
        else
        {
            var window = segment.Window;
            windowIndex = window.IndexOf(timestampMs);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            if (window.IsOutOfRange(timestampMs, state.StreamTime, now))
            {
                return RecordVerdict.TimestampOutOfRange;
            }

            if (!state.AdvanceCapClock(timestampMs, windowIndex, now))
            {
                return RecordVerdict.Late;
            }
        }

        if (segment.Unit is { } unitPolicy && !state.TryCountUnitEvent(windowIndex, unit!, unitPolicy.MaxEventsPerWindow))
        {
            return unitPolicy.OverCap == OverCapBehavior.Drop ? RecordVerdict.DropOverCap : RecordVerdict.PublishStripped;
        }

        return state.Lifetimes is { } lifetimes ? ChargeLifetime(partition, state, lifetimes, unit!, context) : RecordVerdict.Publish;
    }

    // An event about to go out with its noised fields is charged to its unit's lifetime ledger first; once the cap is
    // spent (or the ledger is lost) the event goes out without them. The unit's exhaustion is audited and metered
    // once (its account keeps the mark); a lost ledger is audited and logged once per load.
    private RecordVerdict ChargeLifetime(int partition, SegmentState state, UnitLifetimes lifetimes, byte[] unit, IProcessorContext context)
    {
        var segment = state.Segment.Name;
        switch (lifetimes.Charge(unit))
        {
            case LifetimeCharge.Charged:
                return RecordVerdict.Publish;
            case LifetimeCharge.NewlyExhausted:
                context.Send(audit.UnitLifetimeExhausted(StageNames.Mask, segment, partition, AuditCodes.EventLifetimeSpent, lifetimes.Cap));
                context.Tally.AddUnitLifetimeExhausted(segment);
                return RecordVerdict.PublishStripped;
            case LifetimeCharge.LedgerLost when !lifetimes.LossReported:
                lifetimes.LossReported = true;
                logger.UnitLifetimeLedgerLost(segment, partition);
                context.Send(audit.UnitLifetimeExhausted(StageNames.Mask, segment, partition, AuditCodes.EventLifetimeStateLost, lifetimes.Cap));
                return RecordVerdict.PublishStripped;
            default:
                return RecordVerdict.PublishStripped;
        }
    }
}
