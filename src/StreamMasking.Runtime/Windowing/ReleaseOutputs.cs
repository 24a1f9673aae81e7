using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Serialization;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// What leaves the stage for one released window: the aggregate records (aggregates topic), their audit events
/// (release, debit, suppression), the transaction's counts, and the log lines; and the committed ledgers for the
/// live budget view. Every record is a pure function of the sealed window and the release outcome, so a retried
/// release sends the same bytes. Values are in the aggregates topic's format (<paramref name="aggregates"/>); the
/// release event's <c>payloadSha256</c> is of the value as produced.
/// </summary>
internal sealed class ReleaseOutputs(
    OutputEncoder aggregates,
    string policyVersion,
    AuditEventWriter audit,
    PipelineCounters counters,
    ILogger logger)
{
    private readonly byte[] _policyVersion = Encoding.UTF8.GetBytes(policyVersion);
    private readonly ExhaustedCaps _exhausted = new();

    /// <summary>Sends what the release of <paramref name="window"/> produced, into the open transaction.</summary>
    internal void Emit(string segment, SealedWindow window, IReadOnlyList<AggregateReleaseResult> outcomes, BudgetLedger ledger,
        int partition, IProcessorContext context)
    {
        var released = 0;
        var suppressed = 0;
        foreach (var outcome in outcomes)
        {
            switch (outcome.Kind)
            {
                case ReleaseOutcome.Released:
                    var record = AggregateRecord(segment, window, outcome.Payload!);
                    context.Send(record);
                    context.Send(audit.Release(outcome, record.Message.Value));
                    if (outcome.Charged is { } charged)
                    {
                        context.Send(audit.BudgetDebit(segment, outcome, ledger));
                        context.Tally.AddCharge(segment, charged.Epsilon.Value, charged.Rho.Value);
                    }

                    context.Tally.AddRelease(segment);
                    released++;
                    break;
                case ReleaseOutcome.Suppressed:
                    context.Send(audit.Suppression(outcome, window, policyVersion));
                    context.Tally.AddSuppression(segment, AuditCodes.SuppressionCode(outcome.Reason));
                    if (!ExhaustedCaps.IsExhaustion(outcome.Reason))
                    {
                        logger.ReleaseSuppressed(segment, outcome.Aggregate, window.WindowIndex, AuditCodes.SuppressionCode(outcome.Reason));
                    }
                    else if (_exhausted.FirstTime(segment, outcome.Reason))
                    {
                        logger.LifetimeBudgetExhausted(segment, window.WindowIndex);
                    }

                    suppressed++;
                    break;
                case ReleaseOutcome.Replayed:
                default:
                    // Paid and emitted by an earlier committed transaction: nothing new leaves.
                    break;
            }
        }

        logger.WindowReleased(segment, partition, window.WindowIndex, released, suppressed);
    }

    /// <summary>A sealed window that cannot be released under this policy: dropped, logged and counted.</summary>
    internal void Abandoned(string segment, int partition, long windowIndex, IProcessorContext context)
    {
        logger.SealedWindowAbandoned(segment, partition, windowIndex);
        context.Tally.AddSuppression(segment, AuditCodes.PolicyChanged);
    }

    /// <summary>The ledger of <paramref name="segment"/> as its transaction committed it.</summary>
    internal void LedgerCommitted(string segment, BudgetLedger ledger) => counters.Observer?.OnLedgerCommitted(segment, ledger);

    private OutputRecord AggregateRecord(string segment, SealedWindow window, byte[] payload)
    {
        var segmentBytes = Encoding.UTF8.GetBytes(segment);
        var message = new Message<byte[]?, byte[]?>
        {
            Key = segmentBytes,
            Value = aggregates.Encode(payload, "release"),
            Headers = new Headers
            {
                { RecordHeaders.Segment, segmentBytes },
                { RecordHeaders.PolicyVersion, _policyVersion },
                { RecordHeaders.ContentType, aggregates.ContentType },
            },
            // The window's end: the record is a pure function of the sealed window, timestamp included.
            Timestamp = new Timestamp(window.EndMs, TimestampType.CreateTime),
        };
        return new OutputRecord(aggregates.Topic, message, OutputKind.Auxiliary, segment);
    }
}
