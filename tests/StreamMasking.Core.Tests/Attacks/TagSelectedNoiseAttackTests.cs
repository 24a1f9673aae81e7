using System.Globalization;
using System.Text.Json.Nodes;
using Avro;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Records;
using StreamMasking.Core.Schemas;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Core.Tests.Attacks;

/// <summary>
/// Defect 2 again, for fields a writer schema selects by <c>confluent:tags</c> rather than by path: the noise of a
/// tag-selected field must commit to the tag's mechanism and parameters (the rule comes from the policy's <c>tags</c>,
/// not from <c>fields</c>) and to the field's own path (a reused named type puts one tag at several places of one
/// record). Two attacks: re-masking the same records under the tag's ε = 1 and ε = 2 and solving
/// v = (b₂·y₁ − b₁·y₂)/(b₂ − b₁); and differencing the two uses of a reused tagged type in one record, which would give
/// the exact difference of the two values if they shared a stream.
/// </summary>
/// <remarks>
/// False-failure rate as in <see cref="EventNoiseReuseAttackTests"/>: with independent noise an exact hit has
/// probability below 0.003 per record, so 1,000 records exceed 40 hits with probability below 1e-20. The controls
/// (one stream for both policies, or for both places: a label without the parameters and the path, with the policy
/// content hash left out) recover every record by construction, so the attacker is sound.
/// </remarks>
public sealed class TagSelectedNoiseAttackTests
{
    private const int Records = 1000;

    private static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    // A named type tagged COST on its amount, used twice in one record.
    private static readonly RecordSchema Writer = (RecordSchema)Schema.Parse("""
        {
          "type": "record", "name": "Visit", "namespace": "t",
          "fields": [
            { "name": "id", "type": "string" },
            { "name": "home", "type": { "type": "record", "name": "Charge", "fields": [
              { "name": "amount", "type": "double", "confluent:tags": ["COST"] } ] } },
            { "name": "work", "type": "t.Charge" }
          ]
        }
        """);

    [Fact]
    public void Mask_TaggedFieldUnderTwoTagEpsilons_LinearSolveNoLongerRecoversTheValue()
    {
        var values = Values(seed: 1);
        var low = MaskAll(Policy(epsilon: 1), values, values);
        var high = MaskAll(Policy(epsilon: 2), values, values);

        var recovered = Enumerable.Range(0, Records).Count(i => Solve(low[i].Home, 100, high[i].Home, 50) == values[i]);

        recovered.ShouldBeLessThanOrEqualTo(40);
    }

    [Fact]
    public void Mask_ReusedTaggedTypeInOneRecord_DifferenceIsNotTheTrueDifference()
    {
        var home = Values(seed: 2);
        var work = home.Select(v => (v + 37) % 101).ToArray();
        var outputs = MaskAll(Policy(epsilon: 1), home, work);

        var exact = Enumerable.Range(0, Records).Count(i => Math.Round(outputs[i].Home - outputs[i].Work) == home[i] - work[i]);

        exact.ShouldBeLessThanOrEqualTo(40);
    }

    [Fact]
    public void Mask_TaggedFieldSameTagContent_ReplayIsByteIdentical()
    {
        var values = Values(seed: 3)[..100];
        MaskAll(Policy(epsilon: 1), values, values).ShouldBe(MaskAll(Policy(epsilon: 1), values, values));
    }

    [Fact]
    public void Solve_OneStreamForBothPoliciesAndPlaces_RecoversEveryValue()
    {
        // The controls: a build whose label leaves out the mechanism's parameters, the field path and the content hash
        // draws one stream per record for both policies and both places; the same attackers then recover everything.
        var home = Values(seed: 1);
        var work = home.Select(v => (v + 37) % 101).ToArray();
        var solved = 0;
        var differenced = 0;
        for (var i = 0; i < Records; i++)
        {
            var label = KeyedRandomSource.ComposeLabel("StreamMasking.EventNoise/v1", "visits", "0", i.ToString(CultureInfo.InvariantCulture), "COST");
            double Draw(double epsilon, double value) =>
                EventNoise.Release(new LaplaceAction(new Epsilon(epsilon), new ClampBounds(0, 100)), value, new KeyedRandomSource(Secret, label)).Value;

            solved += Solve(Draw(1, home[i]), 100, Draw(2, home[i]), 50) == home[i] ? 1 : 0;
            differenced += Math.Round(Draw(1, home[i]) - Draw(1, work[i])) == home[i] - work[i] ? 1 : 0;
        }

        solved.ShouldBeGreaterThanOrEqualTo(Records * 99 / 100);
        differenced.ShouldBeGreaterThanOrEqualTo(Records * 99 / 100);
    }

    private static double Solve(double y1, double b1, double y2, double b2) => Math.Round(((b2 * y1) - (b1 * y2)) / (b2 - b1));

    private static double[] Values(int seed)
    {
        var random = new Random(20_261_204 + seed);
        return [.. Enumerable.Range(0, Records).Select(_ => (double)random.Next(0, 101))];
    }

    private static PrivacyPolicy Policy(double epsilon)
    {
        var result = PolicyLoader.Parse($$"""
            version: "1"
            tags:
              COST: { action: laplace, epsilon: {{epsilon.ToString(CultureInfo.InvariantCulture)}}, clamp: { min: 0, max: 100 } }
            segments:
              - name: s
                match: { all: [] }
                fields:
                  id: tokenize
            """, "tags.yaml");
        result.IsValid.ShouldBeTrue(string.Join(Environment.NewLine, result.Diagnostics));
        var (resolved, refused) = SchemaTagRules.Apply(result.Policy!, Writer);
        refused.ShouldBeEmpty();
        resolved.Segments[0].Fields.Where(f => f.Action is LaplaceAction).Select(f => f.Path.Text).ShouldBe(["home.amount", "work.amount"], ignoreOrder: true);
        return resolved;
    }

    private static (double Home, double Work)[] MaskAll(PrivacyPolicy policy, double[] home, double[] work)
    {
        using var keyring = new TokenKeyring(Secret);
        using var masker = new RecordMasker(policy, keyring);
        var outputs = new (double, double)[home.Length];
        for (var i = 0; i < home.Length; i++)
        {
            var body = new JsonObject
            {
                ["id"] = "v" + i.ToString(CultureInfo.InvariantCulture),
                ["home"] = new JsonObject { ["amount"] = home[i] },
                ["work"] = new JsonObject { ["amount"] = work[i] },
            };
            var outcome = masker.Mask(policy.Segments[0], new RecordEnvelope("visits", null, body, new RecordCoordinates("visits", 0, i)));
            outcome.IsMasked.ShouldBeTrue(outcome.ToString());
            outputs[i] = (outcome.Output!["home"]!["amount"]!.GetValue<double>(), outcome.Output!["work"]!["amount"]!.GetValue<double>());
        }

        return outputs;
    }
}
