using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Processing;

/// <summary>Summarises each transaction on the audit topic (dead letters, deliberate drops) before it commits.</summary>
internal interface ITransactionAuditor
{
    /// <summary>Audit records describing <paramref name="tally"/>; sent inside the transaction it describes.</summary>
    IEnumerable<OutputRecord> Summarize(string stage, TransactionTally tally);
}
