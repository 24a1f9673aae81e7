namespace StreamMasking.Runtime.Diagnostics;

/// <summary>What an output record is, for accounting.</summary>
internal enum OutputKind
{
    /// <summary>Raw record re-keyed by segment into the internal repartition topic (stage "route").</summary>
    Forwarded,

    /// <summary>Masked record on a segment's masked topic.</summary>
    Published,

    /// <summary>Record on the dead-letter topic.</summary>
    DeadLettered,

    /// <summary>Audit event on the audit topic (not an input's fate; counted so a lost one is seen).</summary>
    Audit,

    /// <summary>Any other output written in the same transaction (state changelog, audit, aggregates); not an input's fate.</summary>
    Auxiliary,
}
