using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Masking;

/// <summary>Fields the policy does not name never reach the output, whatever the record looks like.</summary>
public sealed class UnnamedFieldPropertyTests
{
    private static readonly PrivacyPolicy Policy = TestPolicies.OneSegment("""
        id: tokenize
        name: drop
        p.age: { action: generalize, bucket: 10 }
        p.zip: { action: generalize, prefix: 2 }
        p.card: { action: partial, keepLast: 4 }
        p.when: { action: generalize, truncate: day }
        meta: keep
        """);

    /// <summary>Allowed output shape: top-level names and, under p, its named children.</summary>
    private static readonly HashSet<string> AllowedTop = ["id", "p", "meta"];
    private static readonly HashSet<string> AllowedUnderP = ["age", "zip", "card", "when"];

    private static readonly string[] KeyPool = ["id", "name", "p", "age", "zip", "card", "when", "meta", "x", "ID", "p.age", "secret", "ünï", "😀", ""];

    private static Gen<string> Keys() =>
        Gen.Frequency((3, Gen.Elements(KeyPool)), (1, Gen.Choose(0, 99999).Select(i => "k" + i)));

    private static Gen<JsonNode?> Scalars() => Gen.OneOf(
        Gen.Choose(-100000, 100000).Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Choose(-1000, 1000).Select(i => (JsonNode?)JsonValue.Create(i / 8.0)),
        Gen.Elements("a", "SW1A 1AA", "4111111111111111", "2024-03-15T10:00:00Z", "2024-03-15", "", "😀é").Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Constant((JsonNode?)null));

    private static Gen<JsonNode?> Values(int depth) => depth <= 0
        ? Scalars()
        : Gen.Frequency(
            (4, Scalars()),
            (1, Objects(depth - 1).Select(o => (JsonNode?)o)),
            (1, Gen.ListOf(Scalars(), 3).Select(l => (JsonNode?)new JsonArray([.. l]))));

    private static Gen<JsonObject> Objects(int depth) =>
        Gen.ListOf(Keys().Zip(Values(depth)), 8).Select(pairs =>
        {
            var obj = new JsonObject();
            foreach (var (key, value) in pairs)
            {
                obj[key] = value; // last wins for repeated keys
            }

            return obj;
        });

    [Property(MaxTest = 500)]
    public Property Mask_RandomRecords_OutputHoldsOnlyNamedFields() =>
        Prop.ForAll(Objects(3).ToArbitrary(), record =>
        {
            var outcome = TestPolicies.MaskOne(Policy, record.ToJsonString());
            if (!outcome.IsMasked)
            {
                return outcome.FieldPath is not null; // fail closed, naming the field
            }

            var output = outcome.Output!;
            if (output.Any(kv => !AllowedTop.Contains(kv.Key)))
            {
                return false;
            }

            return output["p"] is not JsonObject p || p.All(kv => AllowedUnderP.Contains(kv.Key));
        });

    [Property(MaxTest = 300)]
    public Property Mask_CanaryInUnnamedOrDroppedFields_NeverInOutput() =>
        Prop.ForAll(Objects(2).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (record, n) =>
        {
            var canary = "CANARY" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "Z";
            record["name"] = canary;
            record["k" + n.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject { ["deep"] = canary };
            if (record["p"] is JsonObject p)
            {
                p["extra"] = canary;
            }

            var outcome = TestPolicies.MaskOne(Policy, record.ToJsonString());
            return !outcome.ToString().Contains(canary, StringComparison.Ordinal)
                && (outcome.Output is null || !outcome.Output.ToJsonString().Contains(canary, StringComparison.Ordinal));
        });

    [Fact]
    public void Generator_ProducesMaskableRecords()
    {
        // Guards the properties above against vacuity: a good share of generated records must mask successfully.
        var samples = Objects(3).Sample(200, 0);
        var masked = samples.Count(r => TestPolicies.MaskOne(Policy, r.ToJsonString()).IsMasked);

        masked.ShouldBeGreaterThan(50);
    }
}
