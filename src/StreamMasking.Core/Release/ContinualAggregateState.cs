using StreamMasking.Privacy.ContinualRelease;

namespace StreamMasking.Core.Release;

/// <summary>Running-total state of one continual aggregate: its counter and the last total it released.</summary>
internal sealed class ContinualAggregateState
{
    public IContinualCounter? Counter { get; set; }

    /// <summary>
    /// The counter's incarnation (empty before it starts): "first window.ledger sequence" of the debit that paid for
    /// it. Part of the counter's noise identity, so a counter started again (after a policy rollback or an operator
    /// restart) never replays the noise of an earlier one on different prefix sums.
    /// </summary>
    public string Incarnation { get; set; } = string.Empty;

    /// <summary>Window whose value the counter consumed last (<see cref="long.MinValue"/> before the first).</summary>
    public long LastWindow { get; set; } = long.MinValue;

    public double LastOutput { get; set; }

    public long LastStep { get; set; }
}
