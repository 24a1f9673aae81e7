namespace StreamMasking.Privacy.Accounting;

/// <summary>Composition rule of a <see cref="PrivacyAccountant"/>. Values are persisted: never renumber.</summary>
public enum AccountantKind : byte
{
    /// <summary>Basic composition: Σε and Σδ (pure ε when the cap's δ is 0).</summary>
    Basic = 1,

    /// <summary>zCDP: Σρ, converted to (ε, δ) for reporting.</summary>
    Zcdp = 2,

    /// <summary>Advanced composition as a privacy filter, valid under adaptive choice of costs.</summary>
    AdaptiveFilter = 3,
}
