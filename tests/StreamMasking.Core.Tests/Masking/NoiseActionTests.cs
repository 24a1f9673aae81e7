using System.Text.Json.Nodes;
using StreamMasking.Core.DeadLetters;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Records;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Masking;

/// <summary>Event-level noise actions: replay-stable, on the lattice, clamped, calibrated, fail closed.</summary>
public sealed class NoiseActionTests : IDisposable
{
    private const string Fields = """
        cost: { action: laplace, epsilon: 1, clamp: { min: 0, max: 100 } }
        wait: { action: gaussian, epsilon: 1, delta: 1e-6, clamp: { min: -10, max: 10 } }
        smoker: { action: randomized-response, epsilon: 1 }
        dept: { action: randomized-response, epsilon: 1, categories: [cardio, derma, onco] }
        id: tokenize
        """;

    private readonly PrivacyPolicy _policy = TestPolicies.OneSegment(Fields);
    private readonly TokenKeyring _keyring = new(TestPolicies.Secret);
    private readonly RecordMasker _masker;

    public NoiseActionTests() => _masker = new RecordMasker(_policy, _keyring);

    public void Dispose()
    {
        _masker.Dispose();
        _keyring.Dispose();
    }

    private static RecordEnvelope At(string json, long offset, int partition = 0, string topic = "events") =>
        new(topic, null, JsonNode.Parse(json)!.AsObject(), new RecordCoordinates(topic, partition, offset));

    private static JsonObject Masked(PrivacyPolicy policy, RecordMasker masker, RecordEnvelope record)
    {
        var outcome = masker.Mask(policy.Segments[0], record);
        outcome.IsMasked.ShouldBeTrue(outcome.ToString());
        return outcome.Output!;
    }

    private JsonObject Masked(RecordEnvelope record) => Masked(_policy, _masker, record);

    private const string Sample = """{"cost": 42.5, "wait": 3, "smoker": true, "dept": "derma", "id": "p1"}""";

    [Fact]
    public void Mask_SameCoordinates_GivesIdenticalOutput()
    {
        var first = Masked(At(Sample, 7)).ToJsonString();
        var again = Masked(At(Sample, 7)).ToJsonString();
        using var otherMasker = new RecordMasker(_policy, _keyring);
        var otherInstance = Masked(_policy, otherMasker, At(Sample, 7)).ToJsonString();

        again.ShouldBe(first);
        otherInstance.ShouldBe(first);
    }

    [Fact]
    public void Mask_DifferentOffsetsPartitionsOrTopics_DrawDifferentNoise()
    {
        var costs = new HashSet<double>();
        for (var offset = 0; offset < 20; offset++)
        {
            costs.Add(Masked(At(Sample, offset)).ToJsonString() is var s ? JsonNode.Parse(s)!["cost"]!.GetValue<double>() : 0);
        }

        costs.Count.ShouldBeGreaterThan(15); // scale ≈ 100 on a fine lattice: collisions are rare
        Masked(At(Sample, 7, partition: 1))["cost"]!.GetValue<double>().ShouldNotBe(Masked(At(Sample, 7))["cost"]!.GetValue<double>());
        Masked(At(Sample, 7, topic: "other"))["cost"]!.GetValue<double>().ShouldNotBe(Masked(At(Sample, 7))["cost"]!.GetValue<double>());
    }

    [Fact]
    public void Mask_NumericNoise_LandsOnTheReleaseLattice()
    {
        var laplace = (LaplaceAction)_policy.Segments[0].Fields.Single(f => f.Path.Text == "cost").Action;
        var gaussian = (GaussianAction)_policy.Segments[0].Fields.Single(f => f.Path.Text == "wait").Action;
        var laplaceGrid = EventNoise.Release(laplace, 0, new SeededRandomSource(1)).Granularity;
        var gaussianGrid = EventNoise.Release(gaussian, 0, new SeededRandomSource(1)).Granularity;
        for (var offset = 0; offset < 200; offset++)
        {
            var output = Masked(At(Sample, offset));
            var cost = output["cost"]!.GetValue<double>();
            var wait = output["wait"]!.GetValue<double>();
            Math.IEEERemainder(cost, laplaceGrid).ShouldBe(0);
            Math.IEEERemainder(wait, gaussianGrid).ShouldBe(0);
        }
    }

    [Fact]
    public void Mask_OutOfRangeInput_IsClampedBeforeNoise()
    {
        // Same coordinates, so the same noise: a value above max releases exactly what max releases.
        Masked(At("""{"cost": 1e9}""", 3))["cost"]!.GetValue<double>()
            .ShouldBe(Masked(At("""{"cost": 100}""", 3))["cost"]!.GetValue<double>());
        Masked(At("""{"cost": -5}""", 4))["cost"]!.GetValue<double>()
            .ShouldBe(Masked(At("""{"cost": 0}""", 4))["cost"]!.GetValue<double>());
        Masked(At("""{"cost": 5}""", 4))["cost"]!.GetValue<double>()
            .ShouldNotBe(Masked(At("""{"cost": 0}""", 4))["cost"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("""{"cost": "42"}""", "cost")]
    [InlineData("""{"cost": {"v": 1}}""", "cost")]
    [InlineData("""{"cost": true}""", "cost")]
    [InlineData("""{"wait": [1]}""", "wait")]
    [InlineData("""{"smoker": "yes"}""", "smoker")]
    [InlineData("""{"smoker": 1}""", "smoker")]
    [InlineData("""{"dept": "ortho"}""", "dept")]
    public void Mask_ValueThatCannotTakeNoise_FailsClosed(string json, string field)
    {
        var outcome = _masker.Mask(_policy.Segments[0], At(json, 1));
        outcome.IsMasked.ShouldBeFalse();
        outcome.Reason.ShouldBe(DeadLetterReason.FieldActionFailed);
        outcome.FieldPath.ShouldBe(field);
        outcome.ToString().ShouldNotContain("ortho");
    }

    [Fact]
    public void Mask_NonFiniteNumberBuiltInCode_FailsClosed()
    {
        var body = new JsonObject { ["cost"] = JsonValue.Create(double.NaN) };
        var outcome = _masker.Mask(_policy.Segments[0], new RecordEnvelope("events", null, body, new RecordCoordinates("events", 0, 1)));
        outcome.Reason.ShouldBe(DeadLetterReason.FieldActionFailed);
        outcome.FieldPath.ShouldBe("cost");
    }

    [Theory]
    [InlineData("""{"cost": 1}""", "cost")]
    [InlineData("""{"wait": 1}""", "wait")]
    [InlineData("""{"smoker": false}""", "smoker")]
    [InlineData("""{"dept": "onco"}""", "dept")]
    public void Mask_NoiseWithoutCoordinates_FailsClosed(string json, string field)
    {
        var outcome = _masker.Mask(_policy.Segments[0], TestPolicies.Record(json));
        outcome.Reason.ShouldBe(DeadLetterReason.FieldActionFailed);
        outcome.FieldPath.ShouldBe(field);
    }

    [Fact]
    public void StripNoisedFields_LeavesOnlyDeterministicFields()
    {
        var masked = Masked(At(Sample, 3));
        _masker.StripNoisedFields(_policy.Segments[0], masked);
        masked.Select(p => p.Key).ShouldBe(["id"]);
    }

    [Fact]
    public void StripNoisedFields_RemovesNestedNoiseAndTheObjectsItEmpties_KeepsTheRestByteForByte()
    {
        var policy = TestPolicies.OneSegment("""
            id: tokenize
            visit.cost: { action: laplace, epsilon: 1, clamp: { min: 0, max: 100 } }
            visit.ward: { action: generalize, prefix: 2 }
            lab.score: { action: gaussian, epsilon: 1, delta: 1e-6, clamp: { min: 0, max: 10 } }
            lab.flag: { action: randomized-response, epsilon: 1 }
            note: { action: partial, keepLast: 2 }
            """);
        using var masker = new RecordMasker(policy, _keyring);
        const string json = """
            {"id": "p1", "visit": {"cost": 12, "ward": "W123"}, "lab": {"score": 4, "flag": true}, "note": "abcdef"}
            """;
        var masked = Masked(policy, masker, At(json, 11));
        masked["visit"]!["cost"].ShouldNotBeNull();
        masked["lab"]!.AsObject().Count.ShouldBe(2);

        // Expected: the masked record without its noised leaves, each kept field exactly as masked.
        var expected = (JsonObject)masked.DeepClone();
        expected["visit"]!.AsObject().Remove("cost");
        expected.Remove("lab");

        masker.StripNoisedFields(policy.Segments[0], masked);
        masked.ToJsonString().ShouldBe(expected.ToJsonString());
    }

    [Fact]
    public void StripNoisedFields_WithoutNoise_ChangesNothing()
    {
        var policy = TestPolicies.OneSegment("id: tokenize\nward: { action: generalize, prefix: 2 }");
        using var masker = new RecordMasker(policy, _keyring);
        var masked = Masked(policy, masker, At("""{"id": "p1", "ward": "W123"}""", 1));
        var before = masked.ToJsonString();
        masker.StripNoisedFields(policy.Segments[0], masked);
        masked.ToJsonString().ShouldBe(before);
    }

    [Fact]
    public void Mask_RandomizedResponse_ReportsOnlyDeclaredValues()
    {
        var seen = new HashSet<string>();
        for (var offset = 0; offset < 200; offset++)
        {
            var output = Masked(At(Sample, offset));
            output["smoker"]!.GetValueKind().ShouldBeOneOf(System.Text.Json.JsonValueKind.True, System.Text.Json.JsonValueKind.False);
            seen.Add(output["dept"]!.GetValue<string>());
        }

        seen.ShouldBe(["cardio", "derma", "onco"], ignoreOrder: true);
    }

    [Fact]
    public void Mask_BooleanRandomizedResponse_TellsTruthAtTheDeclaredRate()
    {
        // ε = 1: P(truth) = e/(1+e) ≈ 0.7311; n = 4000, sd ≈ 0.0070, tolerance 5 sd: false-failure rate < 1e-6
        // (and the run is deterministic: fixed secret and coordinates).
        const int n = 4000;
        var truthful = 0;
        for (var offset = 0; offset < n; offset++)
        {
            truthful += Masked(At("""{"smoker": true}""", offset))["smoker"]!.GetValue<bool>() ? 1 : 0;
        }

        var expected = Math.E / (1 + Math.E);
        ((double)truthful / n).ShouldBe(expected, 5 * Math.Sqrt(expected * (1 - expected) / n));
    }

    [Fact]
    public void Mask_LaplaceNoiseOverManyCoordinates_HasTheDeclaredScale()
    {
        // Sensitivity 100, ε = 1: the Laplace scale b ≈ 100 (rounded up to the lattice). For X ~ Laplace(b), E|X| = b and
        // Var X = 2b², sd(|X|) = b. n = 20000 draws: se(mean |X|) = b/√n ≈ 0.71 (0.71 %); tolerance 5 se on the mean
        // absolute deviation and 6 % on the variance (se of the sample variance ≈ √(20/n)·2b² ≈ 3.2 %): false-failure
        // rate < 1e-6 for the first, about 1e-4 for the second. Deterministic: fixed secret and coordinates.
        const int n = 20_000;
        var laplace = (LaplaceAction)_policy.Segments[0].Fields.Single(f => f.Path.Text == "cost").Action;
        var b = EventNoise.Release(laplace, 0, new SeededRandomSource(1)).NoiseScale;
        b.ShouldBeInRange(100, 100.001);
        double sumAbs = 0, sumSquares = 0;
        for (var offset = 0; offset < n; offset++)
        {
            var noise = Masked(At("""{"cost": 50}""", offset))["cost"]!.GetValue<double>() - 50;
            sumAbs += Math.Abs(noise);
            sumSquares += noise * noise;
        }

        (sumAbs / n).ShouldBe(b, 5 * b / Math.Sqrt(n));
        (sumSquares / n).ShouldBe(2 * b * b, 0.06 * 2 * b * b);
    }

    [Fact]
    public void Mask_WithPrivacyUnit_ReportsVaryPerRecordButReplaysAreIdentical()
    {
        var policy = UnitPolicy("cardio, derma, onco");
        using var masker = new RecordMasker(policy, _keyring);
        var flips = 0;
        for (var unit = 0; unit < 50; unit++)
        {
            var json = $$"""{"patient": {"id": "u{{unit}}"}, "smoker": true, "dept": "onco"}""";
            var reports = Enumerable.Range(0, 6).Select(r => Masked(policy, masker, At(json, offset: (unit * 1000) + r)).ToJsonString()).ToList();
            // A replay of the same record (same coordinates) is byte-identical.
            Masked(policy, masker, At(json, offset: unit * 1000)).ToJsonString().ShouldBe(reports[0]);
            flips += reports.Distinct().Count() > 1 ? 1 : 0;
        }

        // The instantaneous layer (ε_inst = 0.5) redraws every report: an unchanged value shows different reports,
        // so a changed report no longer proves a changed value. Six equal reports for 40 of 50 units would have
        // probability far below 1e-9.
        flips.ShouldBeGreaterThan(40);

        var missingUnit = masker.Mask(policy.Segments[0], At("""{"smoker": true}""", 1));
        missingUnit.Reason.ShouldBe(DeadLetterReason.FieldActionFailed);
        missingUnit.FieldPath.ShouldBe("smoker");
    }

    [Fact]
    public void Mask_WithPrivacyUnit_PermanentLayerKeyedByValueNotCategoryOrder()
    {
        // With ε_inst huge the report is the permanent response itself (truth probability 1 − 2e-13 per report),
        // which exposes the memo: reordering the categories keeps it (the label holds the value and the category
        // set), changing permanentEpsilon draws a new one.
        var declared = UnitPolicy("cardio, derma, onco", instantaneous: 30, permanent: 0.1);
        var reordered = UnitPolicy("onco, cardio, derma", instantaneous: 30, permanent: 0.1);
        var otherEpsilon = UnitPolicy("cardio, derma, onco", instantaneous: 30, permanent: 0.2);
        using var a = new RecordMasker(declared, _keyring);
        using var b = new RecordMasker(reordered, _keyring);
        using var c = new RecordMasker(otherEpsilon, _keyring);
        var differs = 0;
        for (var unit = 0; unit < 60; unit++)
        {
            var json = $$"""{"patient": {"id": "u{{unit}}"}, "dept": "onco"}""";
            var report = Masked(declared, a, At(json, offset: unit))["dept"]!.GetValue<string>();
            Masked(declared, a, At(json, offset: unit + 500))["dept"]!.GetValue<string>().ShouldBe(report);
            Masked(reordered, b, At(json, offset: unit))["dept"]!.GetValue<string>().ShouldBe(report);
            differs += Masked(otherEpsilon, c, At(json, offset: unit))["dept"]!.GetValue<string>() == report ? 0 : 1;
        }

        // ε_perm 0.1 with k = 3: each fresh permanent response differs with probability ≥ 0.63·0.35; 60 draws
        // with at most 5 differences has probability below 1e-9.
        differs.ShouldBeGreaterThan(5);
    }

    private static PrivacyPolicy UnitPolicy(string categories, double instantaneous = 0.5, double? permanent = null)
    {
        var permanentKey = permanent is { } p ? ", permanentEpsilon: " + p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        var epsilon = instantaneous.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TestPolicies.Valid($$"""
            version: "1"
            segments:
              - name: s
                match: { all: [] }
                fields:
                  smoker: { action: randomized-response, epsilon: {{epsilon}}{{permanentKey}} }
                  dept: { action: randomized-response, epsilon: {{epsilon}}{{permanentKey}}, categories: [{{categories}}] }
                privacyUnit: { field: patient.id, maxEventsPerWindow: 2 }
                window: { size: 1h }
            """);
    }

    [Fact]
    public void Mask_NoiseKeys_DifferAcrossSegmentsAndSecrets()
    {
        var twoSegments = TestPolicies.Valid("""
            version: "1"
            segments:
              - { name: a, match: { field: t, equals: a }, fields: { cost: { action: laplace, epsilon: 1, clamp: { min: 0, max: 100 } } } }
              - { name: b, match: { field: t, equals: b }, fields: { cost: { action: laplace, epsilon: 1, clamp: { min: 0, max: 100 } } } }
            """);
        using var masker = new RecordMasker(twoSegments, _keyring);
        var record = At("""{"cost": 10}""", 9);
        var inA = masker.Mask(twoSegments.Segments[0], record).Output!["cost"]!.GetValue<double>();
        var inB = masker.Mask(twoSegments.Segments[1], record).Output!["cost"]!.GetValue<double>();
        inA.ShouldNotBe(inB);

        using var otherKeyring = new TokenKeyring([.. Enumerable.Repeat((byte)7, 32)]);
        using var otherMasker = new RecordMasker(twoSegments, otherKeyring);
        otherMasker.Mask(twoSegments.Segments[0], record).Output!["cost"]!.GetValue<double>().ShouldNotBe(inA);
    }
}
