namespace StreamMasking.Privacy.Accounting;

/// <summary>Spend and paid release keys of one retained window.</summary>
internal sealed class LedgerWindow
{
    public PrivacySpend Spend { get; set; }

    public Dictionary<string, DebitRecord> Debits { get; } = new(StringComparer.Ordinal);
}
