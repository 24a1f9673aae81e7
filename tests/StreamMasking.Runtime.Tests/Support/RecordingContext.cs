using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Tests.Support;

/// <summary>An <see cref="IProcessorContext"/> that records what a processor sends (no broker).</summary>
internal sealed class RecordingContext : IProcessorContext
{
    public List<OutputRecord> Sent { get; } = [];

    public TransactionTally Tally { get; } = new();

    public void Send(OutputRecord output)
    {
        Sent.Add(output);
        Tally.Add(output.Kind, output.Segment, output.ReasonCode);
    }
}
