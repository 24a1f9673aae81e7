namespace StreamMasking.Runtime.Processing;

/// <summary>
/// Optional interface of a processor whose work does not only follow records: it keeps state written through the
/// loop's transactional producer, flushes it before each commit, and acts on a timer (closing idle windows, releasing
/// sealed ones) even when no record arrives. All calls come from the loop's thread.
/// </summary>
internal interface IStatefulProcessor : ITransactionParticipant
{
    /// <summary>The loop's transactional producer is initialised; state writes go through its collector. Called once, before subscribing.</summary>
    void OnStarted(RecordCollector collector, CancellationToken stopping);

    /// <summary>Whether <see cref="Punctuate"/> should run now (a timer fired, or committed work awaits).</summary>
    bool PunctuationDue { get; }

    /// <summary>Timer work inside the open transaction (the loop begins one if needed).</summary>
    void Punctuate(IProcessorContext context);

    /// <summary>Last writes of the open transaction, before its offsets are sent and it commits.</summary>
    void BeforeCommit(IProcessorContext context);

    /// <summary>The loop stopped (after its final commit or abort): release local resources.</summary>
    void OnStopped();
}
