namespace StreamMasking.Runtime.Windowing;

/// <summary>What charging one event to its unit's lifetime ledger decided.</summary>
internal enum LifetimeCharge
{
    /// <summary>Charged: publish the event with its noised fields.</summary>
    Charged,

    /// <summary>This event would pass the cap: withheld from now on, and the unit's exhaustion is audited now.</summary>
    NewlyExhausted,

    /// <summary>The unit's cap was spent before: withheld, nothing more to say.</summary>
    Withheld,

    /// <summary>The ledger is missing although the segment has state here: every unit is withheld (fail closed).</summary>
    LedgerLost,
}
