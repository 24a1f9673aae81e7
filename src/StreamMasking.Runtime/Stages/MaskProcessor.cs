using System.Text;
using Avro;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.DeadLetters;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Schemas;
using StreamMasking.Core.Segmentation;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.DeadLetters;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Serialization;
using StreamMasking.Runtime.Windowing;

namespace StreamMasking.Runtime.Stages;

/// <summary>
/// Stage "mask": consumes records keyed by segment name, checks that the record really belongs to that segment,
/// masks it with the segment's field rules and publishes it to the segment's masked topic with headers naming the
/// segment, the policy version and the source coordinates. The input key and headers are not forwarded.
/// Segments that declare a window go through the <see cref="WindowedSegments"/> as well: it aggregates them, enforces
/// the per-unit cap and decides whether the masked record may be published (late records and over-cap units).
/// </summary>
internal sealed class MaskProcessor : IRecordProcessor, IStatefulProcessor
{
    internal const string StageName = StageNames.Mask;

    private static readonly byte[] JsonContentType = Encoding.UTF8.GetBytes("application/json");
    private static readonly byte[] AvroContentType = Encoding.UTF8.GetBytes(MaskedAvroWriter.ContentType);

    private readonly PrivacyPolicy _policy;
    private readonly SegmentRouter _router;
    private readonly RecordMasker _masker;
    private readonly DeadLetterFactory _deadLetters;
    private readonly bool _trustSourceHeaders;
    private readonly ILogger _logger;
    private readonly byte[] _policyVersion;
    private readonly WindowedSegments? _windowing;
    private readonly AuditEventWriter _audit;
    private readonly InputDecoder _decoder;
    private readonly MaskedAvroWriter? _avroWriter;
    private readonly SchemaTagPlans? _tagPlans;
    private bool _policyAuditPending;
    private bool _policyAuditInTransaction;

    // Writer schemas (by instance: decoders keep one per schema id) whose unnamed fields each segment has reported,
    // and the reports of the open transaction (forgotten again when it aborts, logged when it commits).
    private readonly Dictionary<RecordSchema, HashSet<string>> _unnamedReported = new(ReferenceEqualityComparer.Instance);
    private readonly List<(RecordSchema Writer, string Segment, IReadOnlyList<string> Fields)> _unnamedInTransaction = [];

    // trustSourceHeaders: true behind stage "route", which stamps the original coordinates; false when consuming
    // inputs already keyed by segment, whose sm- headers are not ours. auditsPolicy: whether this processor writes the
    // instance's policy-loaded audit record (one stream thread of the stage does).
    internal MaskProcessor(PrivacyPolicy policy, SegmentRouter router, RecordMasker masker, DeadLetterFactory deadLetters,
        bool trustSourceHeaders, ILogger logger, AuditEventWriter audit, WindowedSegments? windowing = null, InputDecoder? decoder = null,
        MaskedAvroWriter? avroWriter = null, SchemaTagPlans? tagPlans = null, bool auditsPolicy = true)
    {
        _policyAuditPending = auditsPolicy;
        _avroWriter = avroWriter;
        _tagPlans = tagPlans;
        _decoder = decoder ?? InputDecoder.Json;
        _policy = policy;
        _router = router;
        _masker = masker;
        _deadLetters = deadLetters;
        _trustSourceHeaders = trustSourceHeaders;
        _logger = logger;
        _policyVersion = Encoding.UTF8.GetBytes(policy.Version);
        _windowing = windowing;
        _audit = audit;
    }

    public bool PunctuationDue => (_policyAuditPending && !_policyAuditInTransaction) || (_windowing?.PunctuationDue ?? false);

    public void OnStarted(RecordCollector collector, CancellationToken stopping) => _windowing?.OnStarted(collector, stopping);

    public void Punctuate(IProcessorContext context)
    {
        // The policy this instance masks with is on the audit record once per start, in a committed transaction. A
        // large policy is several parts: all of them go into this one transaction, so the load is audited whole or not.
        if (_policyAuditPending && !_policyAuditInTransaction)
        {
            foreach (var part in _audit.PolicyLoaded(_policy, StageName))
            {
                context.Send(part);
            }

            _policyAuditInTransaction = true;
        }

        _windowing?.Punctuate(context);
    }

    public void BeforeCommit(IProcessorContext context) => _windowing?.BeforeCommit(context);

    public void OnStopped() => _windowing?.OnStopped();

    public void OnPartitionsAssigned(IReadOnlyList<TopicPartition> partitions) => _windowing?.OnPartitionsAssigned(partitions);

    public void OnPartitionsRevoked(IReadOnlyList<TopicPartition> partitions) => _windowing?.OnPartitionsRevoked(partitions);

    public void OnPartitionsLost(IReadOnlyList<TopicPartition> partitions) => _windowing?.OnPartitionsLost(partitions);

    public void OnCommitted()
    {
        foreach (var (writer, segment, fields) in _unnamedInTransaction)
        {
            _logger.SchemaFieldsUnnamed(segment, writer.Fullname, fields.Count, string.Join(", ", fields));
        }

        _unnamedInTransaction.Clear();
        _policyAuditPending &= !_policyAuditInTransaction;
        _policyAuditInTransaction = false;
        _windowing?.OnCommitted();
    }

    public void OnAborted()
    {
        _policyAuditInTransaction = false;
        foreach (var (writer, segment, _) in _unnamedInTransaction)
        {
            _unnamedReported[writer].Remove(segment);
        }

        _unnamedInTransaction.Clear();
        _windowing?.OnAborted();
    }

    public void Process(ConsumeResult<byte[]?, byte[]?> record, IProcessorContext context)
    {
        var source = (_trustSourceHeaders ? SourceCoordinates.FromHeaders(record.Message.Headers) : null)
                     ?? SourceCoordinates.Of(record);
        var value = record.Message.Value;
        // Decoded by the format of the record's original topic (the repartition topic carries the raw value).
        var decoded = _decoder.Decode(source.Topic, value);
        if (decoded.Body is not { } body)
        {
            context.Send(_deadLetters.Create(decoded.Failure ?? DeadLetterReason.MalformedRecord, StageName, source, value));
            return;
        }

        var keyed = record.Message.Key is { } key ? _policy.FindSegment(Encoding.UTF8.GetString(key)) : null;
        // One envelope serves routing and masking; the source coordinates key event-level noise.
        var envelope = EnvelopeFactory.Create(source.Topic, record.Message.Headers, body, source);
        // Fail closed: the key must name a segment and the record must match that segment's rules right now.
        var routed = _router.Route(envelope).Segment;
        if (keyed is null || routed is null || !ReferenceEquals(keyed, routed))
        {
            context.Send(_deadLetters.Create(DeadLetterReason.UnmatchedSegment, StageName, source, value, keyed?.Name));
            return;
        }

        // Fields an Avro writer schema tags join the segment's rules (the routing decision above is the configured one's).
        var masker = _masker;
        var segment = keyed;
        if (_tagPlans?.For(decoded.WriterSchema) is { } plan)
        {
            if (plan.Refused.TryGetValue(keyed.Name, out var refusal))
            {
                context.Send(_deadLetters.Create(DeadLetterReason.AvroSchemaMismatch, StageName, source, value, keyed.Name,
                    refusal[..refusal.IndexOf(':', StringComparison.Ordinal)]));
                return;
            }

            masker = plan.Masker;
            segment = plan.Policy.Segments[keyed.Index];
        }

        if (decoded.WriterSchema is RecordSchema writer)
        {
            ReportUnnamedFields(segment, writer, context);
        }

        MaskResult outcome;
        try
        {
            outcome = masker.Mask(segment, envelope);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A masking bug must not let the record through, nor stall the stream: dead-letter it.
            _logger.MaskerThrew(StageName, e.GetType().Name, keyed.Name);
            context.Send(_deadLetters.Create(DeadLetterReason.FieldActionFailed, StageName, source, value, keyed.Name));
            return;
        }

        if (outcome.Output is not { } masked)
        {
            context.Send(_deadLetters.Create(outcome.Reason ?? DeadLetterReason.FieldActionFailed, StageName, source, value,
                keyed.Name, outcome.FieldPath));
            return;
        }

        // The declared key is a segment token (of a field, or of the input key), never a raw value;
        // derived before the window sees the record, so a record dead-lettered here is never aggregated.
        var inputKey = segment.Key.Kind != OutputKeyKind.InputKey ? null
            : _trustSourceHeaders ? SourceKey(record.Message.Headers) : record.Message.Key;
        if (!masker.TryOutputKey(segment, envelope, inputKey, out var keyToken, out var keyFailure))
        {
            context.Send(_deadLetters.Create(DeadLetterReason.SchemaMismatch, StageName, source, value, keyed.Name, keyFailure));
            return;
        }

        if (_windowing?.Find(keyed.Name) is { } windowed)
        {
            var timestamp = record.Message.Timestamp.Type == TimestampType.NotAvailable ? -1 : record.Message.Timestamp.UnixTimestampMs;
            var verdict = _windowing.Observe(record.Partition.Value, windowed, body, timestamp, source, context);
            if (!Admit(verdict, windowed, source, value, context))
            {
                return;
            }

            if (verdict == RecordVerdict.PublishStripped)
            {
                // Over the unit's cap: the event still flows, without any field that spends privacy budget.
                masker.StripNoisedFields(segment, masked);
                context.Tally.AddStripped(keyed.Name);
            }
        }

        byte[] output;
        byte[] contentType;
        if (keyed.Output == OutputFormat.Avro)
        {
            var (framed, failure) = _avroWriter!.Write(segment, decoded.WriterSchema, masked);
            if (framed is null)
            {
                context.Send(_deadLetters.Create(failure ?? DeadLetterReason.AvroSchemaMismatch, StageName, source, value, keyed.Name));
                return;
            }

            output = framed;
            contentType = AvroContentType;
        }
        else
        {
            output = MaskedJson.Serialize(masked);
            contentType = JsonContentType;
        }

        var headers = new Headers
        {
            { RecordHeaders.Segment, Encoding.UTF8.GetBytes(keyed.Name) },
            { RecordHeaders.PolicyVersion, _policyVersion },
            { RecordHeaders.ContentType, contentType },
        };
        source.WriteTo(headers);
        var message = new Message<byte[]?, byte[]?>
        {
            Key = keyToken is null ? null : Encoding.UTF8.GetBytes(keyToken),
            Value = output,
            Headers = headers,
            Timestamp = record.Message.Timestamp,
        };
        context.Send(new OutputRecord(keyed.MaskedTopic, message, OutputKind.Published, keyed.Name));
    }

    // The first record of a segment in a writer schema reports the schema's fields the segment's rules do not name
    // (an evolved schema's new field, say): one audit event and a metric in the record's transaction, a log line once
    // it commits. Schema metadata only, never a value.
    private void ReportUnnamedFields(SegmentPolicy segment, RecordSchema writer, IProcessorContext context)
    {
        if (!_unnamedReported.TryGetValue(writer, out var reported))
        {
            _unnamedReported[writer] = reported = new HashSet<string>(StringComparer.Ordinal);
        }

        if (!reported.Add(segment.Name))
        {
            return;
        }

        IReadOnlyList<string> unnamed;
        try
        {
            unnamed = MaskedSchemaDeriver.Derive(writer, segment, _policy.Version).UnnamedFields;
        }
        catch (SchemaParseException)
        {
            return; // the masker cannot walk the schema either: its records are dead-lettered with the reason
        }

        if (unnamed.Count == 0)
        {
            return;
        }

        context.Send(_audit.SchemaFieldsUnnamed(StageName, segment, writer.Fullname, SchemaNormalization.ParsingFingerprint64(writer), unnamed));
        context.Tally.AddUnnamedFields(segment.Name, unnamed.Count);
        _unnamedInTransaction.Add((writer, segment.Name, unnamed));
    }

    private static byte[]? SourceKey(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(RecordHeaders.SourceKey, out var key) ? key : null;

    // Whether a record of a windowed segment may be published; otherwise it is dead-lettered or dropped here, counted.
    private bool Admit(RecordVerdict verdict, WindowedSegment segment, SourceCoordinates source, byte[]? value, IProcessorContext context)
    {
        switch (verdict)
        {
            case RecordVerdict.Publish:
            case RecordVerdict.PublishStripped:
                return true;
            case RecordVerdict.DropOverCap:
                context.Tally.AddDropped(segment.Name, "unit_cap_exceeded");
                return false;
            case RecordVerdict.AlreadyProcessed:
                context.Tally.AddDropped(segment.Name, "already_processed");
                return false;
            case RecordVerdict.Late:
                context.Tally.AddLate(segment.Name);
                if (segment.Late == LateRecordHandling.Drop)
                {
                    context.Tally.AddDropped(segment.Name, "late_record");
                }
                else
                {
                    context.Send(_deadLetters.Create(DeadLetterReason.LateRecord, StageName, source, value, segment.Name));
                }

                return false;
            case RecordVerdict.MissingUnit:
                context.Send(_deadLetters.Create(DeadLetterReason.SchemaMismatch, StageName, source, value, segment.Name,
                    segment.Unit!.Field.Text));
                return false;
            case RecordVerdict.TimestampOutOfRange:
            default:
                context.Send(_deadLetters.Create(DeadLetterReason.TimestampOutOfRange, StageName, source, value, segment.Name));
                return false;
        }
    }
}
