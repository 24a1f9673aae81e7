namespace StreamMasking.Runtime.Configuration;

/// <summary>Where window aggregates go (<c>StreamMasking:Aggregates</c>).</summary>
public sealed class AggregatesOptions
{
    /// <summary>
    /// Topic receiving one record per released window aggregate (and continual total), keyed by segment, value the
    /// canonical release JSON. The default is <c>streammasking.aggregates</c>.
    /// </summary>
    public string Topic { get; set; } = "streammasking.aggregates";
}

/// <summary>Where audit events go (<c>StreamMasking:Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>
    /// Topic receiving CloudEvents audit events (policy loads, releases, budget debits, suppressions, dead-letter and
    /// drop summaries), keyed by subject. The default is <c>streammasking.audit</c>.
    /// </summary>
    public string Topic { get; set; } = "streammasking.audit";
}
