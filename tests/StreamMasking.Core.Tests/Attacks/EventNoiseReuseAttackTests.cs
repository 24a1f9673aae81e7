using System.Text.Json.Nodes;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Records;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Attacks;

/// <summary>
/// Defect 2, the attack that worked: event noise was keyed by (topic, partition, offset, field) only, so re-masking a
/// record under another ε (an offset reset, a blue/green run of two policy versions) reused its random stream. The
/// discrete Laplace magnitude is ⌊t·E⌋ with the same E and sign, so the noise scales with b and two outputs solve for
/// the value: v = (b₂·y₁ − b₁·y₂)/(b₂ − b₁). (1,000 of 1,000 records were recovered exactly.)
/// </summary>
/// <remarks>
/// False-failure rate: with independent noise the attacker's estimate is v + 2n₂ − n₁ with standard deviation
/// ≈ 200 (b₁ = 100, b₂ = 50), so an exact hit has probability below 0.003 per record; 1,000 records exceed 40 hits with
/// probability below 1e-20. The control (one shared stream, the old label) recovers every record by construction.
/// </remarks>
public sealed class EventNoiseReuseAttackTests
{
    private const int Records = 1000;

    private static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Fact]
    public void Mask_SameRecordUnderTwoEpsilons_LinearSolveNoLongerRecoversTheValue()
    {
        var values = Values();
        var low = MaskAll(Policy(epsilon: 1), values, topic: "events");
        var high = MaskAll(Policy(epsilon: 2), values, topic: "events");

        var recovered = Enumerable.Range(0, Records).Count(i => Solve(low[i], 100, high[i], 50) == values[i]);

        recovered.ShouldBeLessThanOrEqualTo(40);
    }

    [Fact]
    public void Solve_SharedStreamAsUnderTheOldLabel_RecoversEveryValue()
    {
        // The control: the attacker is sound. One stream per (coordinates, field) for both mechanisms, as before.
        var values = Values();
        var recovered = 0;
        for (var i = 0; i < Records; i++)
        {
            var label = KeyedRandomSource.ComposeLabel("StreamMasking.EventNoise/v1", "events", "0", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "cost");
            var y1 = EventNoise.Release(new LaplaceAction(new Epsilon(1), new ClampBounds(0, 100)), values[i], new KeyedRandomSource(Secret, label)).Value;
            var y2 = EventNoise.Release(new LaplaceAction(new Epsilon(2), new ClampBounds(0, 100)), values[i], new KeyedRandomSource(Secret, label)).Value;
            recovered += Solve(y1, 100, y2, 50) == values[i] ? 1 : 0;
        }

        recovered.ShouldBeGreaterThanOrEqualTo(Records * 99 / 100);
    }

    [Fact]
    public void Mask_SameRecordUnderTwoClamps_LinearSolveNoLongerRecoversTheValue()
    {
        var values = Values();
        var narrow = MaskAll(Policy(epsilon: 1, max: 100), values, topic: "events");
        var wide = MaskAll(Policy(epsilon: 1, max: 200), values, topic: "events");

        // b = width/ε: 100 and 200.
        var recovered = Enumerable.Range(0, Records).Count(i => Solve(narrow[i], 100, wide[i], 200) == values[i]);

        recovered.ShouldBeLessThanOrEqualTo(40);
    }

    [Fact]
    public void Mask_RecreatedTopicSameOffsetsOtherValues_DifferencesAreNotTheTrueDifferences()
    {
        // A recreated topic reuses offsets: under the old label identical noise hit different values, so output
        // differences were the exact value differences. Same false-failure bound as above (difference of two
        // independent Laplace(100) draws: an exact hit below 0.003 per record).
        var first = Values();
        var second = first.Select(v => (v + 37) % 101).ToArray();
        var policy = Policy(epsilon: 1);
        var a = MaskAll(policy, first, topic: "events");
        var b = MaskAll(policy, second, topic: "events");

        var exact = Enumerable.Range(0, Records).Count(i => Math.Round(a[i] - b[i]) == first[i] - second[i]);

        exact.ShouldBeLessThanOrEqualTo(40);
    }

    [Fact]
    public void Mask_SameRecordSameContentOtherVersionString_ReplayIsByteIdentical()
    {
        // The defence must not cost replay stability: the same record under the same DP content (a restart, an offset
        // reset, or a version bump that changes nothing DP-relevant) gets exactly the same output.
        var values = Values()[..100];
        var first = MaskAll(Policy(epsilon: 1), values, topic: "events");
        var replay = MaskAll(Policy(epsilon: 1), values, topic: "events");
        var bumped = MaskAll(TestPolicies.Valid("""
            version: "2-no-dp-change"
            segments:
              - name: s
                match: { all: [] }
                fields:
                  cost: { action: laplace, epsilon: 1, clamp: { min: 0, max: 100 } }
            """), values, topic: "events");

        replay.ShouldBe(first);
        bumped.ShouldBe(first);
    }

    private static double Solve(double y1, double b1, double y2, double b2) => Math.Round(((b2 * y1) - (b1 * y2)) / (b2 - b1));

    private static double[] Values()
    {
        var random = new Random(20_261_203);
        return [.. Enumerable.Range(0, Records).Select(_ => (double)random.Next(0, 101))];
    }

    private static PrivacyPolicy Policy(double epsilon, double max = 100) => TestPolicies.OneSegment(
        $"cost: {{ action: laplace, epsilon: {epsilon.ToString(System.Globalization.CultureInfo.InvariantCulture)}, clamp: {{ min: 0, max: {max.ToString(System.Globalization.CultureInfo.InvariantCulture)} }} }}");

    private static double[] MaskAll(PrivacyPolicy policy, double[] values, string topic)
    {
        using var keyring = new TokenKeyring(Secret);
        using var masker = new RecordMasker(policy, keyring);
        var outputs = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var body = new JsonObject { ["cost"] = values[i] };
            var outcome = masker.Mask(policy.Segments[0], new RecordEnvelope(topic, null, body, new RecordCoordinates(topic, 0, i)));
            outcome.IsMasked.ShouldBeTrue();
            outputs[i] = outcome.Output!["cost"]!.GetValue<double>();
        }

        return outputs;
    }
}
