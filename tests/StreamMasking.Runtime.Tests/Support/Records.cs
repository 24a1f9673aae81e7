using System.Text;
using Confluent.Kafka;

namespace StreamMasking.Runtime.Tests.Support;

/// <summary>Builds consumed records for processor tests.</summary>
internal static class Records
{
    internal static ConsumeResult<byte[]?, byte[]?> Consumed(string topic, int partition, long offset, string? value,
        string? key = null, Headers? headers = null) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(topic, partition, offset),
        Message = new Message<byte[]?, byte[]?>
        {
            Key = key is null ? null : Encoding.UTF8.GetBytes(key),
            Value = value is null ? null : Encoding.UTF8.GetBytes(value),
            Headers = headers ?? [],
            Timestamp = new Timestamp(1_700_000_000_000, TimestampType.CreateTime),
        },
    };

    internal static string Header(Message<byte[]?, byte[]?> message, string key) =>
        message.Headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : throw new KeyNotFoundException(key);

    internal static string Text(byte[]? bytes) => bytes is null ? string.Empty : Encoding.UTF8.GetString(bytes);
}
