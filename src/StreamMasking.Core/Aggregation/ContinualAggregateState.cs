using StreamMasking.Privacy.ContinualRelease;

namespace StreamMasking.Core.Aggregation;

/// <summary>Running-total state of one continual aggregate: its counter and the last total it released.</summary>
internal sealed class ContinualAggregateState
{
    public IContinualCounter? Counter { get; set; }

    /// <summary>Window whose value the counter consumed last (<see cref="long.MinValue"/> before the first).</summary>
    public long LastWindow { get; set; } = long.MinValue;

    public double LastOutput { get; set; }

    public long LastStep { get; set; }
}
