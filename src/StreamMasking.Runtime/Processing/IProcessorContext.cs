using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Processing;

/// <summary>
/// What a processor can do while the loop holds a transaction open. Everything sent here commits or aborts
/// atomically with the input offsets: later state-store changelog writes and audit events go through the same
/// <see cref="Send"/>.
/// </summary>
internal interface IProcessorContext
{
    /// <summary>Produces <paramref name="output"/> inside the open transaction (backs off while the producer queue is full).</summary>
    void Send(OutputRecord output);

    /// <summary>Counts of the open transaction (applied to the pipeline counters only if it commits).</summary>
    TransactionTally Tally { get; }
}
