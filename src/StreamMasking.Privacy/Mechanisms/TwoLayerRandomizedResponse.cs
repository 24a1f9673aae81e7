using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Mechanisms;

/// <summary>
/// RAPPOR-style randomized response in two layers (Erlingsson, Pihur, Korolova 2014), k-ary: a <b>permanent</b>
/// response, k-RR of the true value with ε_perm, drawn once per (unit, field, value, mechanism) from a memoized keyed
/// stream; then an <b>instantaneous</b> response, k-RR of the permanent response with ε_inst, drawn freshly for
/// every report from the report's own stream. The two streams are distinct keyed streams (never the same
/// randomness for both layers).
/// </summary>
/// <remarks>
/// <para>What a unit loses: one report leaks at most <see cref="PerReportEpsilon"/> (&lt; min(ε_perm, ε_inst)) about
/// the value; any number of reports of the same value together leak at most ε_perm (they are post-processing of the
/// permanent response plus fresh noise); a new value (or new mechanism parameters) draws a new permanent response,
/// a further ε_perm. Charging ε_inst per report, as the event ledger does, is therefore an upper bound.</para>
/// <para>Change detection: with one memoized layer a changed report proves a changed value. Here the last report's
/// likelihood under "value changed" and "unchanged" differ by at most e^ε_inst whatever came before (it is k-RR of a
/// permanent response either way), so an attacker who starts at even odds ends at posterior at most
/// <see cref="ChangePosteriorBound"/>.</para>
/// </remarks>
public sealed class TwoLayerRandomizedResponse
{
    /// <summary>Creates the mechanism for <paramref name="categoryCount"/> ≥ 2 categories.</summary>
    public TwoLayerRandomizedResponse(int categoryCount, Epsilon permanent, Epsilon instantaneous)
    {
        Permanent = new RandomizedResponse(categoryCount, permanent);
        Instantaneous = new RandomizedResponse(categoryCount, instantaneous);
        var (p1, q1, p2, q2) = (Permanent.TruthProbability, Permanent.OtherProbability, Instantaneous.TruthProbability, Instantaneous.OtherProbability);
        var k = categoryCount;
        // The composed channel is k-RR again: truth with p1·p2 + (k−1)·q1·q2, each other value with 1/k-complement.
        var truth = (p1 * p2) + ((k - 1) * q1 * q2);
        var other = (1 - truth) / (k - 1);
        PerReportEpsilon = Math.BitIncrement(Math.Log(truth / other));
        var e = Math.Exp(instantaneous.Value);
        ChangePosteriorBound = e / (1 + e);
    }

    /// <summary>The permanent (memoized) layer, ε_perm per (unit, value) over the lifetime.</summary>
    public RandomizedResponse Permanent { get; }

    /// <summary>The instantaneous layer, ε_inst per report.</summary>
    public RandomizedResponse Instantaneous { get; }

    /// <summary>Number of categories k.</summary>
    public int CategoryCount => Permanent.CategoryCount;

    /// <summary>The privacy loss of a single report about the true value (the composed channel's ε, rounded up).</summary>
    public double PerReportEpsilon { get; }

    /// <summary>
    /// The largest posterior probability that a unit's value changed, for an attacker with even prior odds who sees
    /// every report: e^ε_inst / (1 + e^ε_inst).
    /// </summary>
    public double ChangePosteriorBound { get; }

    /// <summary>
    /// The report for true category <paramref name="trueCategory"/>: the permanent response drawn from
    /// <paramref name="permanentRandom"/> (the memoized stream of this unit, field and value), passed through the
    /// instantaneous layer drawn from <paramref name="instantaneousRandom"/> (this report's own stream).
    /// </summary>
    public int Report(IRandomSource permanentRandom, IRandomSource instantaneousRandom, int trueCategory)
    {
        ArgumentNullException.ThrowIfNull(permanentRandom);
        ArgumentNullException.ThrowIfNull(instantaneousRandom);
        if (ReferenceEquals(permanentRandom, instantaneousRandom))
        {
            throw new ArgumentException("The two layers need distinct random streams.", nameof(instantaneousRandom));
        }

        var permanent = Permanent.Report(permanentRandom, trueCategory);
        return Instantaneous.Report(instantaneousRandom, permanent);
    }
}
