using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace StreamMasking.Host.Demo;

/// <summary>
/// Reads the aggregates and audit topics the way a downstream consumer would (read_committed): keeps the latest
/// release of each (segment, aggregate, running total), queues every release for the headless view, and counts audit
/// events and suppressions per segment (audit key = subject = segment).
/// </summary>
internal sealed class ReleaseReader
{
    /// <summary>CloudEvents type of a suppressed release on the audit topic.</summary>
    internal const string SuppressionType = "io.streammasking.release.suppressed";

    private readonly string _bootstrapServers;
    private readonly string _aggregatesTopic;
    private readonly string _auditTopic;
    private readonly ConcurrentDictionary<(string Segment, string Aggregate, bool Continual), ReleaseView> _latest = new();
    private readonly ConcurrentQueue<ReleaseView> _unreported = new();
    private readonly ConcurrentDictionary<string, long> _suppressions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _suppressionIds = new(StringComparer.Ordinal);
    private long _releases;
    private long _auditEvents;

    internal ReleaseReader(string bootstrapServers, string aggregatesTopic, string auditTopic)
    {
        _bootstrapServers = bootstrapServers;
        _aggregatesTopic = aggregatesTopic;
        _auditTopic = auditTopic;
    }

    /// <summary>Releases visible on the aggregates topic so far.</summary>
    internal long Releases => Interlocked.Read(ref _releases);

    /// <summary>Audit events visible on the audit topic so far.</summary>
    internal long AuditEvents => Interlocked.Read(ref _auditEvents);

    /// <summary>The latest release of the aggregate (or its running total, <paramref name="continual"/>), if any.</summary>
    internal ReleaseView? Latest(string segment, string aggregate, bool continual) =>
        _latest.GetValueOrDefault((segment, aggregate, continual));

    /// <summary>Suppressed releases of a segment seen on the audit topic.</summary>
    internal long Suppressions(string segment) => _suppressions.GetValueOrDefault(segment);

    /// <summary>Takes the next release not handed out yet, in the order they became visible.</summary>
    internal bool TryTakeNew(out ReleaseView release) => _unreported.TryDequeue(out release!);

    internal Task RunAsync(CancellationToken cancellationToken) => CommittedTopicReader.RunAsync(
        _bootstrapServers, "streammasking.demo-release-viewer.", [_aggregatesTopic, _auditTopic],
        (record, value) =>
        {
            if (record.Topic == _aggregatesTopic)
            {
                OnRelease(value);
            }
            else
            {
                OnAudit(value);
            }
        },
        cancellationToken);

    /// <summary>Takes in one aggregates-topic record value.</summary>
    internal void OnRelease(byte[] value)
    {
        if (ReleaseView.Parse(value) is not { } release)
        {
            return;
        }

        _latest.AddOrUpdate((release.Segment, release.Aggregate, release.Continual), release,
            (_, old) => release.WindowIndex >= old.WindowIndex ? release : old);
        _unreported.Enqueue(release);
        Interlocked.Increment(ref _releases);
    }

    /// <summary>Takes in one audit-topic record value (a structured-mode CloudEvent).</summary>
    internal void OnAudit(byte[] value)
    {
        Interlocked.Increment(ref _auditEvents);
        try
        {
            using var document = JsonDocument.Parse(value);
            var root = document.RootElement;
            if (root.TryGetProperty("type", out var type) && type.ValueEquals(SuppressionType)
                && root.TryGetProperty("subject", out var subject) && subject.GetString() is { } segment)
            {
                // Suppression ids are deterministic: count each once even if a retry re-emitted it.
                var id = root.TryGetProperty("id", out var i) ? i.GetString() ?? string.Empty : Encoding.UTF8.GetString(value);
                lock (_suppressionIds)
                {
                    if (!_suppressionIds.Add(segment + "\n" + id))
                    {
                        return;
                    }
                }

                _suppressions.AddOrUpdate(segment, 1, static (_, n) => n + 1);
            }
        }
        catch (JsonException)
        {
            // Not an audit event of ours: counted, otherwise ignored.
        }
    }
}
