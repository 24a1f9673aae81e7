using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Host.Demo;

/// <summary>
/// Reads the masked topics the way a downstream consumer would (read_committed) and keeps, per segment, how many
/// records are visible and the latest one. Masked records are safe to display by construction.
/// </summary>
internal sealed class MaskedSampleReader
{
    private readonly string _bootstrapServers;
    private readonly IReadOnlyList<string> _topics;
    private readonly ConcurrentDictionary<string, (long Visible, string Latest)> _segments = new(StringComparer.Ordinal);

    internal MaskedSampleReader(string bootstrapServers, IReadOnlyList<string> topics)
    {
        _bootstrapServers = bootstrapServers;
        _topics = topics;
    }

    internal IReadOnlyDictionary<string, (long Visible, string Latest)> Snapshot() =>
        new Dictionary<string, (long, string)>(_segments, StringComparer.Ordinal);

    internal Task RunAsync(CancellationToken cancellationToken) => CommittedTopicReader.RunAsync(
        _bootstrapServers, "streammasking.demo-viewer.", _topics,
        (record, value) =>
        {
            var segment = record.Message.Headers.TryGetLastBytes(RecordHeaders.Segment, out var s)
                ? Encoding.UTF8.GetString(s)
                : record.Topic;
            var json = Encoding.UTF8.GetString(value);
            _segments.AddOrUpdate(segment, (1, json), (_, old) => (old.Visible + 1, json));
        },
        cancellationToken);
}
