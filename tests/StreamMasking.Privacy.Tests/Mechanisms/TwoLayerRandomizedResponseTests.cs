using System.Globalization;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Tests.Mechanisms;

/// <summary>
/// The two-layer (RAPPOR-style) randomized response: each layer follows k-RR with its own ε, and the change-detection
/// attack that worked on memoized-only responses no longer gives certainty. Randomness is keyed under a fixed key, so
/// the tests are deterministic; the thresholds state the false-failure rate they would have for a random key.
/// </summary>
public sealed class TwoLayerRandomizedResponseTests
{
    private const int K = 4;

    // χ² critical value for 3 degrees of freedom at α = 1e-4.
    private const double ChiSquare3At1e4 = 21.108;

    private static readonly byte[] s_key = Enumerable.Range(0, 32).Select(i => (byte)((i * 11) + 3)).ToArray();

    [Fact]
    public void Report_PermanentLayer_FollowsKaryRandomizedResponse()
    {
        // One permanent response per (unit, value) key: 20,000 keys, χ² goodness of fit, false-failure rate 1e-4.
        var rr = new TwoLayerRandomizedResponse(K, new Epsilon(1), new Epsilon(2));
        var counts = new long[K];
        for (var u = 0; u < 20_000; u++)
        {
            counts[rr.Permanent.Report(Stream("perm", u), 2)]++;
        }

        ChiSquare(counts, Expected(rr.Permanent, 2, 20_000)).ShouldBeLessThan(ChiSquare3At1e4);
    }

    [Fact]
    public void Report_InstantaneousLayer_FollowsKaryRandomizedResponseAroundThePermanentResponse()
    {
        // One unit and value (one permanent response), 20,000 reports: the reports scatter around the permanent
        // response as k-RR with ε_inst. χ², false-failure rate 1e-4.
        var rr = new TwoLayerRandomizedResponse(K, new Epsilon(1), new Epsilon(0.8));
        var permanent = rr.Permanent.Report(Stream("perm", 7), 1);
        var counts = new long[K];
        for (var report = 0; report < 20_000; report++)
        {
            counts[rr.Report(Stream("perm", 7), Stream("inst", report), 1)]++;
        }

        ChiSquare(counts, Expected(rr.Instantaneous, permanent, 20_000)).ShouldBeLessThan(ChiSquare3At1e4);
    }

    [Fact]
    public void Report_FreshUnits_ComposedChannelHasThePerReportEpsilon()
    {
        // Truthful-report frequency within 5 SE of the composed channel's (false-failure rate < 6e-7); the stated
        // per-report ε is the composed channel's and below both layers'.
        var rr = new TwoLayerRandomizedResponse(K, new Epsilon(1.5), new Epsilon(1));
        const int n = 40_000;
        var truthful = 0;
        for (var u = 0; u < n; u++)
        {
            truthful += rr.Report(Stream("perm", u), Stream("inst", u), 3) == 3 ? 1 : 0;
        }

        var truth = Math.Exp(rr.PerReportEpsilon) / (Math.Exp(rr.PerReportEpsilon) + K - 1);
        Math.Abs(((double)truthful / n) - truth).ShouldBeLessThan(5 * Math.Sqrt(truth * (1 - truth) / n));
        rr.PerReportEpsilon.ShouldBeLessThan(1);
        Should.Throw<ArgumentException>(() => { var same = Stream("x", 0); rr.Report(same, same, 0); });
    }

    /// <summary>
    /// The attack: an attacker knows a unit's old value and sees two reports, before and after a possible change
    /// (prior 1/2). With memoization only (k = 4, ε = 1) a changed report proves the change: every flip is a real change,
    /// and ~77% of changes are revealed. With the instantaneous layer (ε_perm = 1, ε_inst = 1) the exact Bayes
    /// posterior of "changed" is at most e^ε_inst/(1 + e^ε_inst) ≈ 0.731 for every pair of reports, and the
    /// attacker's measured accuracy and its precision on flips stay under that bound (+5 SE: false-failure rate
    /// &lt; 6e-7 each), while flips of unchanged values are common.
    /// </summary>
    [Fact]
    public void ChangeDetectionAttack_WithInstantaneousLayer_PosteriorBoundedByEpsilonInst()
    {
        var one = new Epsilon(1);
        var rr = new TwoLayerRandomizedResponse(K, one, one);
        var bound = rr.ChangePosteriorBound;
        bound.ShouldBe(Math.E / (1 + Math.E), 1e-12);

        // Exact posterior over every (r1, r2) for old value 0.
        var posterior = new double[K, K];
        for (var r1 = 0; r1 < K; r1++)
        {
            for (var r2 = 0; r2 < K; r2++)
            {
                var (same, changed) = Likelihoods(rr, r1, r2);
                posterior[r1, r2] = changed / (same + changed);
                posterior[r1, r2].ShouldBeLessThanOrEqualTo(bound + 1e-12);
            }
        }

        const int units = 40_000;
        int correct = 0, flips = 0, flipsChanged = 0, memoFlips = 0, memoFlipsUnchanged = 0, memoChanges = 0, memoRevealed = 0;
        for (var u = 0; u < units; u++)
        {
            var change = u % 2 == 0;
            var newValue = change ? 1 + (u / 2 % (K - 1)) : 0;
            var perm1 = Stream("perm", u, 0);
            var perm2 = change ? Stream("perm", u, newValue) : Stream("perm", u, 0);
            var r1 = rr.Report(perm1, Stream("inst", u, 1), 0);
            var r2 = rr.Report(perm2, Stream("inst", u, 2), newValue);
            var guess = posterior[r1, r2] > 0.5;
            correct += guess == change ? 1 : 0;
            flips += r1 != r2 ? 1 : 0;
            flipsChanged += r1 != r2 && change ? 1 : 0;

            // The memoized-only design: the reports are the permanent responses themselves.
            var m1 = rr.Permanent.Report(Stream("perm", u, 0), 0);
            var m2 = rr.Permanent.Report(change ? Stream("perm", u, newValue) : Stream("perm", u, 0), newValue);
            memoFlips += m1 != m2 ? 1 : 0;
            memoFlipsUnchanged += m1 != m2 && !change ? 1 : 0;
            memoChanges += change ? 1 : 0;
            memoRevealed += change && m1 != m2 ? 1 : 0;
        }

        // Before: certainty. A flip is always a change, and most changes flip.
        memoFlipsUnchanged.ShouldBe(0);
        ((double)memoRevealed / memoChanges).ShouldBeGreaterThan(0.7);

        // After: the attacker's accuracy and its precision on flips are bounded by what ε_inst allows.
        var accuracy = (double)correct / units;
        accuracy.ShouldBeLessThan(bound + (5 * Math.Sqrt(bound * (1 - bound) / units)));
        var precision = (double)flipsChanged / flips;
        precision.ShouldBeLessThan(bound + (5 * Math.Sqrt(bound * (1 - bound) / flips)));
        (flips - flipsChanged).ShouldBeGreaterThan(units / 10);
    }

    // P(r1, r2 | unchanged) and P(r1, r2 | changed to a uniformly chosen other value), old value 0.
    private static (double Same, double Changed) Likelihoods(TwoLayerRandomizedResponse rr, int r1, int r2)
    {
        double Perm(int p, int v) => p == v ? rr.Permanent.TruthProbability : rr.Permanent.OtherProbability;
        double Inst(int r, int p) => r == p ? rr.Instantaneous.TruthProbability : rr.Instantaneous.OtherProbability;
        double same = 0, changed = 0;
        for (var p1 = 0; p1 < K; p1++)
        {
            same += Perm(p1, 0) * Inst(r1, p1) * Inst(r2, p1);
            for (var v2 = 1; v2 < K; v2++)
            {
                for (var p2 = 0; p2 < K; p2++)
                {
                    changed += Perm(p1, 0) * Inst(r1, p1) * Perm(p2, v2) * Inst(r2, p2) / (K - 1);
                }
            }
        }

        return (same, changed);
    }

    private static KeyedRandomSource Stream(string layer, params int[] parts) =>
        new(s_key, KeyedRandomSource.ComposeLabel([layer, .. parts.Select(p => p.ToString(CultureInfo.InvariantCulture))]));

    private static double[] Expected(RandomizedResponse rr, int truth, int n) =>
        Enumerable.Range(0, rr.CategoryCount).Select(c => n * (c == truth ? rr.TruthProbability : rr.OtherProbability)).ToArray();

    private static double ChiSquare(long[] observed, double[] expected) =>
        observed.Select((o, i) => (o - expected[i]) * (o - expected[i]) / expected[i]).Sum();
}
