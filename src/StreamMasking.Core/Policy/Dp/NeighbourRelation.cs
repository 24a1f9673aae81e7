namespace StreamMasking.Core.Policy.Dp;

/// <summary>Which neighbouring datasets a mechanism's ε is calibrated for.</summary>
public enum NeighbourRelation
{
    /// <summary>One privacy unit's contributions added or removed (window aggregates).</summary>
    AddRemove = 0,

    /// <summary>One privacy unit's values replaced by any others (event-level noise, randomized response).</summary>
    Replace = 1,
}
