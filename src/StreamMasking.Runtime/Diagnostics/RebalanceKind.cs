namespace StreamMasking.Runtime.Diagnostics;

/// <summary>The rebalance callback that ran.</summary>
internal enum RebalanceKind
{
    Assigned,
    Revoked,
    Lost,
}
