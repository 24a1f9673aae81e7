namespace StreamMasking.Core.Windowing;

/// <summary>What an accumulator did with one record.</summary>
internal enum AccumulateOutcome
{
    /// <summary>Aggregated.</summary>
    Added,

    /// <summary>No usable value for this aggregate (missing field, out-of-domain key).</summary>
    Skipped,

    /// <summary>Ignored: the record's privacy unit reached a contribution cap.</summary>
    Capped,
}
