namespace StreamMasking.Core.Windowing;

/// <summary>
/// What one privacy unit sent to one aggregate in one window, kept so that the contributions a release counts are
/// the unit's earliest in <see cref="ContributionOrder"/>, whatever order its records arrived in: for a count, its
/// records (at most L∞ count); for a sum or mean, its L∞ earliest values; for a histogram or top-k, its records and
/// first record per domain key (the L0 keys whose first records come first count, at most L∞ records each).
/// </summary>
internal sealed class UnitContributions
{
    /// <summary>Records of the unit that carried a usable value.</summary>
    internal int Records { get; set; }

    /// <summary>Sum, mean: the kept values, earliest first, at most L∞.</summary>
    internal List<(ContributionOrder Order, double Value)>? Kept { get; set; }

    /// <summary>Histogram, top-k: records per domain key.</summary>
    internal int[]? PerKey { get; set; }

    /// <summary>Histogram, top-k: the earliest record per domain key (meaningful where <see cref="PerKey"/> is positive).</summary>
    internal ContributionOrder[]? FirstOfKey { get; set; }

    /// <summary>How many of the unit's records the aggregate counts.</summary>
    internal int Contributions(AggregateSpec spec)
    {
        if (PerKey is { } perKey)
        {
            var total = 0;
            foreach (var key in CountedKeys(spec))
            {
                total += Math.Min(perKey[key], spec.MaxContributionsPerWindow);
            }

            return total;
        }

        return Kept?.Count ?? Math.Min(Records, spec.MaxContributionsPerWindow);
    }

    /// <summary>Histogram, top-k: the keys counted, the L0 whose first records come first.</summary>
    internal IEnumerable<int> CountedKeys(AggregateSpec spec)
    {
        var perKey = PerKey!;
        var first = FirstOfKey!;
        return Enumerable.Range(0, perKey.Length).Where(k => perKey[k] > 0)
            .OrderBy(k => first[k]).Take(spec.MaxPartitionsPerUnit);
    }

    /// <summary>Sum, mean: keeps <paramref name="value"/> if it is among the L∞ earliest.</summary>
    internal void Keep(AggregateSpec spec, ContributionOrder order, double value)
    {
        var kept = Kept ??= [];
        if (kept.Count >= spec.MaxContributionsPerWindow)
        {
            if (order >= kept[^1].Order)
            {
                return;
            }

            kept.RemoveAt(kept.Count - 1);
        }

        var at = kept.Count;
        while (at > 0 && kept[at - 1].Order > order)
        {
            at--;
        }

        kept.Insert(at, (order, value));
    }

    /// <summary>Histogram, top-k: one more record for domain key <paramref name="key"/>.</summary>
    internal void Touch(int domainSize, int key, ContributionOrder order)
    {
        PerKey ??= new int[domainSize];
        FirstOfKey ??= new ContributionOrder[domainSize];
        if (PerKey[key] == 0 || order < FirstOfKey[key])
        {
            FirstOfKey[key] = order;
        }

        PerKey[key]++;
    }
}
