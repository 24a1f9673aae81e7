namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>What a counter does after its configured horizon T. Values are persisted: never renumber.</summary>
public enum HorizonPolicy : byte
{
    /// <summary>The counter releases T steps and then refuses further input.</summary>
    Fixed = 1,

    /// <summary>
    /// Doubling epochs: after T steps a fresh counter of horizon 2T starts (then 4T, ...), its output offset by the
    /// last released total. Epochs read disjoint steps; see <see cref="EpochBudgetSplit"/> for the budget.
    /// </summary>
    Doubling = 2,
}
