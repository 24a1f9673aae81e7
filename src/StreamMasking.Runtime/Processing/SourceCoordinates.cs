using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace StreamMasking.Runtime.Processing;

/// <summary>Where an input record came from: topic, partition, offset. Never its contents.</summary>
internal readonly record struct SourceCoordinates(string Topic, int Partition, long Offset)
{
    internal static SourceCoordinates Of<TKey, TValue>(ConsumeResult<TKey, TValue> record) =>
        new(record.Topic, record.Partition.Value, record.Offset.Value);

    /// <summary>Reads the coordinates stage "route" stamped on a repartitioned record.</summary>
    internal static SourceCoordinates? FromHeaders(Headers? headers)
    {
        if (headers is null
            || !headers.TryGetLastBytes(RecordHeaders.SourceTopic, out var topic)
            || !headers.TryGetLastBytes(RecordHeaders.SourcePartition, out var partition)
            || !headers.TryGetLastBytes(RecordHeaders.SourceOffset, out var offset)
            || !int.TryParse(Encoding.UTF8.GetString(partition), NumberStyles.None, CultureInfo.InvariantCulture, out var p)
            || !long.TryParse(Encoding.UTF8.GetString(offset), NumberStyles.None, CultureInfo.InvariantCulture, out var o))
        {
            return null;
        }

        return new SourceCoordinates(Encoding.UTF8.GetString(topic), p, o);
    }

    internal void WriteTo(Headers headers)
    {
        headers.Add(RecordHeaders.SourceTopic, Encoding.UTF8.GetBytes(Topic));
        headers.Add(RecordHeaders.SourcePartition, Encoding.UTF8.GetBytes(Partition.ToString(CultureInfo.InvariantCulture)));
        headers.Add(RecordHeaders.SourceOffset, Encoding.UTF8.GetBytes(Offset.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The dead-letter key: <c>topic/partition/offset</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Topic}/{Partition}/{Offset}");
}
