using System.Text;
using Confluent.Kafka;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Tests.Processing;

/// <summary>
/// A stateful processor whose only work is timer work: when the test makes a punctuation due, it sends one
/// "release" record to topic "out" (like a window release with no input record behind it).
/// </summary>
internal sealed class TimerProcessor : IRecordProcessor, IStatefulProcessor
{
    private volatile bool _due;

    public bool PunctuationDue => _due;

    public void MakeDue() => _due = true;

    public void Process(ConsumeResult<byte[]?, byte[]?> record, IProcessorContext context)
    {
    }

    public void Punctuate(IProcessorContext context)
    {
        _due = false;
        context.Send(new OutputRecord(EchoProcessor.OutputTopic,
            new Message<byte[]?, byte[]?> { Value = Encoding.UTF8.GetBytes("release") }, OutputKind.Audit));
    }

    public void OnStarted(RecordCollector collector, CancellationToken stopping)
    {
    }

    public void BeforeCommit(IProcessorContext context)
    {
    }

    public void OnStopped()
    {
    }

    public void OnPartitionsAssigned(IReadOnlyList<TopicPartition> partitions)
    {
    }

    public void OnPartitionsRevoked(IReadOnlyList<TopicPartition> partitions)
    {
    }

    public void OnPartitionsLost(IReadOnlyList<TopicPartition> partitions)
    {
    }

    public void OnCommitted()
    {
    }

    public void OnAborted()
    {
    }
}
