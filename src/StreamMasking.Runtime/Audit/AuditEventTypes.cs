namespace StreamMasking.Runtime.Audit;

/// <summary>
/// CloudEvents <c>type</c> attributes of the audit topic (reverse-DNS, stable: consumers and
/// <c>schemas/audit-event.schema.json</c> dispatch on them).
/// </summary>
internal static class AuditEventTypes
{
    /// <summary>A policy was loaded by a pipeline stage.</summary>
    internal const string PolicyLoaded = "io.streammasking.policy.loaded";

    /// <summary>A window aggregate (or continual total) was released to the aggregates topic.</summary>
    internal const string Release = "io.streammasking.release";

    /// <summary>A release was paid from a segment's privacy budget.</summary>
    internal const string BudgetDebit = "io.streammasking.budget.debit";

    /// <summary>A release was refused (nothing emitted) and why.</summary>
    internal const string Suppression = "io.streammasking.release.suppressed";

    /// <summary>A committed transaction dead-lettered records: counts per reason and segment.</summary>
    internal const string DeadLetterSummary = "io.streammasking.deadletter.summary";

    /// <summary>A committed transaction deliberately dropped records of a segment, or published them without noised fields.</summary>
    internal const string RecordsDropped = "io.streammasking.records.dropped";

    /// <summary>The DP state's owner invariant broke (repartition, partition count change): the stage stopped.</summary>
    internal const string OwnershipViolated = "io.streammasking.state.ownership-violated";

    /// <summary>
    /// A privacy unit's lifetime cap for event-level noise is spent (or its ledger is lost): its later events are
    /// published without their noised fields. Once per unit (per partition load when the ledger is lost).
    /// </summary>
    internal const string UnitLifetimeExhausted = "io.streammasking.unit.lifetime-exhausted";

    /// <summary>
    /// An Avro writer schema carries fields a segment's rules do not name: they are dropped from its masked records.
    /// Once per (segment, writer schema) per start of the stage, with an id that is the same for every report of the pair.
    /// </summary>
    internal const string SchemaFieldsUnnamed = "io.streammasking.schema.fields-unnamed";

    /// <summary>Every type, in the order of the list above.</summary>
    internal static IReadOnlyList<string> All { get; } =
        [PolicyLoaded, Release, BudgetDebit, Suppression, DeadLetterSummary, RecordsDropped, OwnershipViolated, UnitLifetimeExhausted,
            SchemaFieldsUnnamed];
}
