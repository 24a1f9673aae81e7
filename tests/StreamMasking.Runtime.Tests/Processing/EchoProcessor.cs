using System.Text;
using Confluent.Kafka;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Tests.Processing;

/// <summary>
/// Sends every input value unchanged to topic "out" and records what the loop told it: the records processed
/// (<c>partition@offset:value</c>) and, as a transaction participant, ownership changes and transaction outcomes.
/// </summary>
internal sealed class EchoProcessor : IRecordProcessor, ITransactionParticipant
{
    internal const string OutputTopic = "out";

    private readonly Lock _gate = new();
    private readonly List<string> _seen = [];
    private readonly List<string> _events = [];

    /// <summary>Thrown (once, before sending) for the record with this value, when set.</summary>
    public string? FailOnValue { get; set; }

    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_gate)
            {
                return [.. _seen];
            }
        }
    }

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public void Process(ConsumeResult<byte[]?, byte[]?> record, IProcessorContext context)
    {
        var value = Encoding.UTF8.GetString(record.Message.Value!);
        lock (_gate)
        {
            _seen.Add($"{record.Partition.Value}@{record.Offset.Value}:{value}");
        }

        if (value == FailOnValue)
        {
            FailOnValue = null;
            throw new InvalidOperationException("injected processor failure");
        }

        context.Send(new OutputRecord(OutputTopic, new Message<byte[]?, byte[]?> { Value = record.Message.Value }, OutputKind.Published));
    }

    public void OnPartitionsAssigned(IReadOnlyList<TopicPartition> partitions) => Add("assigned", partitions);

    public void OnPartitionsRevoked(IReadOnlyList<TopicPartition> partitions) => Add("revoked", partitions);

    public void OnPartitionsLost(IReadOnlyList<TopicPartition> partitions) => Add("lost", partitions);

    public void OnCommitted() => Add("committed", []);

    public void OnAborted() => Add("aborted", []);

    private void Add(string what, IReadOnlyList<TopicPartition> partitions)
    {
        lock (_gate)
        {
            _events.Add(partitions.Count == 0 ? what : $"{what} {string.Join(',', partitions.Select(p => $"{p.Topic}[{p.Partition.Value}]"))}");
        }
    }
}
