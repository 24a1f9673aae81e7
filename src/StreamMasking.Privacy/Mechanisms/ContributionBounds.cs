namespace StreamMasking.Privacy.Mechanisms;

/// <summary>
/// How much one privacy unit (a user, a patient, a card) may contribute, enforced upstream by contribution bounding:
/// at most <see cref="MaxPartitionsPerUnit"/> partitions (L0) and at most <see cref="MaxContributionsPerPartition"/>
/// records per partition (L∞). Sensitivities are derived from these, never assumed. Neighbouring datasets differ by
/// adding or removing all records of one unit (for "replace one unit" neighbours, sums need twice the sensitivity).
/// </summary>
public readonly record struct ContributionBounds
{
    /// <summary>Creates validated bounds (both at least 1).</summary>
    public ContributionBounds(int maxPartitionsPerUnit, int maxContributionsPerPartition)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPartitionsPerUnit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxContributionsPerPartition, 1);
        MaxPartitionsPerUnit = maxPartitionsPerUnit;
        MaxContributionsPerPartition = maxContributionsPerPartition;
    }

    /// <summary>One record per unit in one partition: the event-level setting.</summary>
    public static ContributionBounds EventLevel { get; } = new(1, 1);

    /// <summary>L0: the number of partitions (windows' histogram bins, groups) one unit may touch.</summary>
    public int MaxPartitionsPerUnit { get; }

    /// <summary>L∞: the number of records one unit may contribute to one partition.</summary>
    public int MaxContributionsPerPartition { get; }
}
