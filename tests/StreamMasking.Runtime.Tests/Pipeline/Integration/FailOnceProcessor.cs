using Confluent.Kafka;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Tests.Pipeline.Integration;

/// <summary>
/// Delegates to the real processor and throws once, on the n-th record. Before throwing it runs
/// <paramref name="beforeFail"/> (the test waits there until the open transaction's records are on the broker).
/// </summary>
internal sealed class FailOnceProcessor(IRecordProcessor inner, int failAt, Action beforeFail) : IRecordProcessor
{
    private int _seen;

    public bool Failed { get; private set; }

    public void Process(ConsumeResult<byte[]?, byte[]?> record, IProcessorContext context)
    {
        if (!Failed && ++_seen == failAt)
        {
            Failed = true;
            beforeFail();
            throw new InvalidOperationException("injected failure");
        }

        inner.Process(record, context);
    }
}
