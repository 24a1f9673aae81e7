using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Policy;

/// <summary>The DP keys (privacyUnit, window, budget, aggregates, noise actions) parse, and bad values are pinpointed.</summary>
public sealed class DpPolicyValidationTests
{
    private const string Head = """
        version: "1"
        segments:
          - name: s
            match: { all: [] }

        """;

    private static PolicyDiagnostic At(IReadOnlyList<PolicyDiagnostic> errors, string path)
    {
        var matches = errors.Where(e => e.Path == path).ToList();
        matches.Count.ShouldBe(1, $"expected one diagnostic at '{path}', got:\n{string.Join("\n", errors)}");
        return matches[0];
    }

    private static void ShouldBeAt(PolicyDiagnostic d, int line, int column, string messagePart)
    {
        (d.Line, d.Column).ShouldBe((line, column), d.ToString());
        d.Message.ShouldContain(messagePart, Case.Sensitive, d.ToString());
        d.ToString().ShouldStartWith($"bad.yaml:{line}:{column}: {d.Path}: ");
    }

    /// <summary>1-based column of <paramref name="token"/> on document line <paramref name="line"/> of Head + keys.</summary>
    private static int ColumnOf(string segmentKeys, int line, string token)
    {
        var text = (Head + Indent(segmentKeys)).Split('\n')[line - 1];
        var index = text.IndexOf(token, StringComparison.Ordinal);
        index.ShouldBeGreaterThanOrEqualTo(0, $"'{token}' not on line {line}: {text}");
        return index + 1;
    }

    // Lines 1-4 are Head; segment keys start on line 5, column 5.
    private static IReadOnlyList<PolicyDiagnostic> Errors(string segmentKeys) =>
        TestPolicies.Errors(Head + Indent(segmentKeys));

    private static string Indent(string text) => string.Join("\n", text.Split('\n').Select(l => "    " + l));

    private const string Window = "window: { size: 1h }";
    private const string Budget = "budget: { perWindow: { epsilon: 1 }, lifetime: { epsilon: 10 } }";

    [Fact]
    public void Parse_FullDpSegment_BuildsModel()
    {
        var policy = TestPolicies.Valid(Head + Indent("""
            fields:
              visit.cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 1000 } }
              visit.wait: { action: gaussian, epsilon: 1, delta: 1e-6, clamp: { min: -5, max: 5 } }
              patient.smoker: { action: randomized-response, epsilon: 1 }
              visit.department: { action: randomized-response, epsilon: 2, categories: [cardio, derma, onco] }
            privacyUnit: { field: patient.id, maxEventsPerWindow: 3, overCap: drop }
            window: { size: PT1H, grace: 5m, idleClose: 10m }
            budget:
              accountant: basic
              perWindow: { epsilon: 1, delta: 1e-6 }
              lifetime: { epsilon: 20, delta: 1e-5 }
            aggregates:
              - { name: visits, kind: count, epsilon: 0.2, continual: true }
              - { name: cost, kind: sum, field: visit.cost, clamp: { min: 0, max: 500 }, epsilon: 0.2, maxContributionsPerUnit: 2 }
              - { name: avg, kind: mean, field: visit.cost, clamp: { min: 0, max: 500 }, epsilon: 0.1, noise: gaussian, delta: 1e-7 }
              - { name: depts, kind: histogram, field: visit.department, domain: [cardio, derma, onco], epsilon: 0.1 }
              - { name: top, kind: top-k, field: visit.department, domain: [cardio, derma, onco], k: 2, epsilon: 0.1 }
            """));

        var segment = policy.Segments[0];
        segment.Fields.Select(f => f.Action).OfType<NoiseFieldAction>().Count().ShouldBe(4);
        segment.Fields.Single(f => f.Path.Text == "visit.cost").Action.ShouldBe(new LaplaceAction(new Epsilon(0.5), new ClampBounds(0, 1000)));
        ((RandomizedResponseAction)segment.Fields.Single(f => f.Path.Text == "visit.department").Action).CategoryCount.ShouldBe(3);
        var p = segment.Privacy;
        FieldPath.TryParse("patient.id", out var unitField).ShouldBeTrue();
        p.Unit.ShouldBe(new PrivacyUnitPolicy(unitField!, 3, OverCapBehavior.Drop));
        p.Window.ShouldBe(new WindowPolicy(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10)));
        p.Budget!.Accountant.ShouldBe(AccountantKind.Basic);
        p.Budget.PerWindow.ShouldBe(PrivacyCost.Approximate(new Epsilon(1), new Delta(1e-6)));
        p.Aggregates.Select(a => a.Kind).ShouldBe([AggregateQuery.Count, AggregateQuery.Sum, AggregateQuery.Mean, AggregateQuery.Histogram, AggregateQuery.TopK]);
        p.Aggregates[0].Continual.ShouldBeTrue();
        p.Aggregates[1].MaxContributionsPerUnit.ShouldBe(2);
        p.Aggregates[2].Noise.ShouldBe(NoiseParameters.Gaussian(0.1, 1e-7));
        p.Aggregates[4].K.ShouldBe(2);
    }

    [Fact]
    public void Parse_NoDpKeys_PrivacyIsNone() =>
        TestPolicies.Valid(Head + "    fields: { a: keep }").Segments[0].Privacy.ShouldBe(SegmentPrivacy.None);

    [Theory]
    [InlineData("{ action: laplace, epsilon: -1, clamp: { min: 0, max: 1 } }", "f.epsilon", "-1", "epsilon must be a positive finite number")]
    [InlineData("{ action: laplace, epsilon: .inf, clamp: { min: 0, max: 1 } }", "f.epsilon", ".inf", "must be a finite number")]
    [InlineData("{ action: laplace, epsilon: 1, clamp: { min: 5, max: 5 } }", "f.clamp.max", "5 }", "clamp max 5 must be greater than min 5")]
    [InlineData("{ action: laplace, epsilon: 1, delta: 0.1, clamp: { min: 0, max: 1 } }", "f.delta", "0.1", "delta must be 0")]
    [InlineData("{ action: gaussian, epsilon: 1, delta: 0, clamp: { min: 0, max: 1 } }", "f.delta", "0, clamp", "gaussian noise needs delta > 0")]
    [InlineData("{ action: gaussian, epsilon: 1, delta: 1, clamp: { min: 0, max: 1 } }", "f.delta", "1, clamp", "0 <= delta < 1")]
    [InlineData("{ action: gaussian, epsilon: 1, clamp: { min: 0, max: 1 } }", "f", "{ action", "gaussian noise needs 'delta'")]
    [InlineData("{ action: laplace, epsilon: 1 }", "f", "{ action", "needs 'clamp'")]
    [InlineData("{ action: randomized-response, epsilon: 1, categories: [a, a] }", "f.categories[1]", "a]", "duplicate category 'a'")]
    [InlineData("{ action: randomized-response, epsilon: 1, categories: [a] }", "f.categories", "[a]", "at least 2 categories")]
    [InlineData("{ action: randomized-response, epsilon: 1, clamp: { min: 0, max: 1 } }", "f.clamp", "clamp", "unknown key 'clamp'")]
    public void Parse_BadNoiseAction_PointsAtTheValue(string action, string path, string token, string message)
    {
        var keys = "fields:\n  f: " + action;
        ShouldBeAt(At(Errors(keys), "segments[0].fields." + path), 6, ColumnOf(keys, 6, token), message);
    }

    [Theory]
    [InlineData("privacyUnit: { field: 'a..b', maxEventsPerWindow: 1 }\n" + Window, "privacyUnit.field", "'a..b'", "not a valid field path")]
    [InlineData("privacyUnit: { field: id, maxEventsPerWindow: 0 }\n" + Window, "privacyUnit.maxEventsPerWindow", "0 }", "positive whole number")]
    [InlineData("privacyUnit: { field: id, maxEventsPerWindow: 1, overCap: keep }\n" + Window, "privacyUnit.overCap", "keep", "expected one of: strip-noised-fields, drop")]
    [InlineData("privacyUnit: { field: id, maxEventsPerWindow: 1 }", "privacyUnit", "privacyUnit", "privacyUnit needs a 'window'")]
    [InlineData("window: { size: 0s }", "window.size", "0s", "duration must be positive")]
    [InlineData("window: { size: 5 minutes }", "window.size", "5 minutes", "must be a duration")]
    [InlineData("window: { size: 1h, grace: -PT1M }", "window.grace", "-PT1M", "must not be negative")]
    [InlineData("window: { size: 1h, idleClose: 0m }", "window.idleClose", "0m", "duration must be positive")]
    [InlineData("window: { size: 1h, maxFutureSkew: -PT1M }", "window.maxFutureSkew", "-PT1M", "must not be negative")]
    [InlineData("window: { size: 1h, every: 1h }", "window.every", "every", "unknown key 'every'")]
    [InlineData("window: { size: 1h, late: keep }", "window.late", "keep", "'keep' is not valid; expected one of: dead-letter, drop")]
    [InlineData("window: { size: 1h, late: [drop] }", "window.late", "[drop]", "must be one of: dead-letter, drop")]
    [InlineData("budget: { accountant: moments, perWindow: { epsilon: 1 }, lifetime: { epsilon: 2 } }", "budget.accountant", "moments", "expected one of: basic, zcdp, advanced-filter")]
    [InlineData("budget: { accountant: zcdp, perWindow: { epsilon: 1 }, lifetime: { rho: 2 } }", "budget.perWindow.epsilon", "epsilon", "caps are stated as 'rho'")]
    [InlineData("budget: { perWindow: { rho: 1 }, lifetime: { epsilon: 2 } }", "budget.perWindow.rho", "rho", "'rho' caps need accountant zcdp")]
    [InlineData("budget: { perWindow: { epsilon: 1, delta: 1.5 }, lifetime: { epsilon: 2 } }", "budget.perWindow.delta", "1.5", "0 <= delta < 1")]
    [InlineData("budget: { perWindow: { epsilon: 2 }, lifetime: { epsilon: 1 } }", "budget.lifetime", "{ epsilon: 1 }", "at least the perWindow cap")]
    [InlineData("budget: { accountant: advanced-filter, perWindow: { epsilon: 1 }, lifetime: { epsilon: 2 } }", "budget", "{ accountant", "advanced-filter needs 0 < slack")]
    [InlineData("budget: { perWindow: { epsilon: 1 }, lifetime: { epsilon: 2 }, slack: 0.1 }", "budget.slack", "slack", "applies only to accountant advanced-filter")]
    public void Parse_BadSegmentDpKey_PointsAtTheValue(string keys, string path, string token, string message) =>
        ShouldBeAt(At(Errors(keys), "segments[0]." + path), 5, ColumnOf(keys, 5, token), message);

    [Theory]
    [InlineData("{ name: a, kind: average, epsilon: 1 }", "kind", "average", "expected one of: count, sum, mean, histogram, top-k")]
    [InlineData("{ name: a, kind: count, epsilon: 0 }", "epsilon", "0 }", "epsilon must be a positive finite number")]
    [InlineData("{ name: a, kind: count, field: x, epsilon: 1 }", "field", "field", "kind count reads no field")]
    [InlineData("{ name: a, kind: sum, field: x, epsilon: 1 }", "", "{ name", "kind sum needs 'clamp'")]
    [InlineData("{ name: a, kind: mean, clamp: { min: 0, max: 1 }, epsilon: 1 }", "", "{ name", "kind mean needs 'field'")]
    [InlineData("{ name: a, kind: sum, field: x, clamp: { min: 2, max: 1 }, epsilon: 1 }", "clamp.max", "1 }", "clamp max 1 must be greater than min 2")]
    [InlineData("{ name: a, kind: histogram, field: x, epsilon: 1 }", "", "{ name", "needs a declared 'domain'")]
    [InlineData("{ name: a, kind: histogram, field: x, domain: [], epsilon: 1 }", "domain", "[]", "at least one category")]
    [InlineData("{ name: a, kind: histogram, field: x, domain: [u, v, u], epsilon: 1 }", "domain[2]", "u]", "duplicate category 'u'")]
    [InlineData("{ name: a, kind: top-k, field: x, domain: [u, v], k: 3, epsilon: 1 }", "k", "3,", "k 3 is larger than the 2 declared categories")]
    [InlineData("{ name: a, kind: top-k, field: x, domain: [u, v], k: 0, epsilon: 1 }", "k", "0,", "positive whole number")]
    [InlineData("{ name: a, kind: histogram, field: x, domain: [u], k: 1, epsilon: 1 }", "k", "k:", "'k' applies only to kind top-k")]
    [InlineData("{ name: a, kind: count, epsilon: 1, noise: gaussian }", "", "{ name", "gaussian noise needs delta > 0")]
    [InlineData("{ name: a, kind: count, epsilon: 1, delta: 0.01 }", "delta", "0.01", "delta must be 0")]
    [InlineData("{ name: a, kind: top-k, field: x, domain: [u], epsilon: 1, noise: gaussian, delta: 0.1 }", "noise", "gaussian", "use noise laplace")]
    [InlineData("{ name: a, kind: mean, field: x, clamp: { min: 0, max: 1 }, epsilon: 1, continual: true }", "continual", "true", "only to kinds count and sum")]
    [InlineData("{ name: a, kind: count, epsilon: 1, maxContributionsPerUnit: 0 }", "maxContributionsPerUnit", "0 }", "positive whole number")]
    [InlineData("{ name: a, kind: count, epsilon: 1, windowsPerUnit: 3 }", "windowsPerUnit", "3 }", "applies only to continual aggregates")]
    [InlineData("{ name: a, kind: count, epsilon: 1, continual: true, windowsPerUnit: 0 }", "windowsPerUnit", "0 }", "positive whole number")]
    [InlineData("{ name: a, kind: count, epsilon: 1, continual: true, windowsPerUnit: 100001 }", "windowsPerUnit", "100001", "at most 100000")]
    [InlineData("{ name: 'a b', kind: count, epsilon: 1 }", "name", "'a b'", "may use only letters")]
    public void Parse_BadAggregate_PointsAtTheValue(string aggregate, string key, string token, string message)
    {
        var keys = Window + "\n" + Budget + "\naggregates:\n  - " + aggregate;
        var path = "segments[0].aggregates[0]" + (key.Length == 0 ? "" : "." + key);
        ShouldBeAt(At(Errors(keys), path), 8, ColumnOf(keys, 8, token), message);
    }

    [Fact]
    public void Parse_DuplicateAggregateNames_PointsAtTheSecond()
    {
        var keys = Window + "\n" + Budget + "\naggregates:\n  - { name: a, kind: count, epsilon: 0.1 }\n  - { name: a, kind: count, epsilon: 0.1 }";
        ShouldBeAt(At(Errors(keys), "segments[0].aggregates[1].name"), 9, ColumnOf(keys, 9, "a,"), "duplicate aggregate name 'a' (first at index 0)");
    }

    [Fact]
    public void Parse_AggregatesWithoutWindowOrBudget_AreErrors()
    {
        var errors = Errors("aggregates:\n  - { name: a, kind: count, epsilon: 0.1 }");
        errors.Where(e => e.Path == "segments[0].aggregates").Select(e => e.Message).ShouldBe(
            ["aggregates need a 'window' (they are released per window)", "aggregates need a 'budget' (every release is paid from it)"],
            ignoreOrder: true);
        errors.ShouldAllBe(e => e.Line == 5 && e.Column == 5);
    }

    [Fact]
    public void Parse_PerWindowBudgetBelowOneWindowsCost_NamesBothNumbers()
    {
        const string keys = """
            window: { size: 1h }
            budget: { perWindow: { epsilon: 0.5 }, lifetime: { epsilon: 10 } }
            aggregates:
              - { name: a, kind: count, epsilon: 0.3 }
              - { name: b, kind: count, epsilon: 0.5 }
            """;

        ShouldBeAt(At(Errors(keys), "segments[0].budget.perWindow.epsilon"), 6, ColumnOf(keys, 6, "0.5"),
            "perWindow epsilon 0.5 is less than the 0.8 a single window's releases cost");
    }

    [Fact]
    public void Parse_DeltaAndRhoCapsBelowOneWindowsCost_AreErrors()
    {
        const string basic = """
            window: { size: 1h }
            budget: { perWindow: { epsilon: 5, delta: 1e-7 }, lifetime: { epsilon: 50, delta: 1e-5 } }
            aggregates:
              - { name: a, kind: count, epsilon: 1, noise: gaussian, delta: 1e-6 }
            """;
        ShouldBeAt(At(Errors(basic), "segments[0].budget.perWindow.delta"), 6, ColumnOf(basic, 6, "1e-7"), "perWindow delta 1e-07 is less than the 1e-06");

        const string zcdp = """
            window: { size: 1h }
            budget: { accountant: zcdp, perWindow: { rho: 0.01 }, lifetime: { rho: 1 } }
            aggregates:
              - { name: a, kind: count, epsilon: 1 }
            """;

        // Laplace ε = 1 costs ε²/2 = 0.5 under zCDP.
        ShouldBeAt(At(Errors(zcdp), "segments[0].budget.perWindow.rho"), 6, ColumnOf(zcdp, 6, "0.01"), "perWindow rho 0.01 is less than the 0.5 a single window's releases cost");
    }

    [Fact]
    public void Parse_AccountantNoiseIncompatibility_IsError()
    {
        const string zcdpMean = """
            window: { size: 1h }
            budget: { accountant: zcdp, perWindow: { rho: 10 }, lifetime: { rho: 100 } }
            aggregates:
              - { name: m, kind: mean, field: x, clamp: { min: 0, max: 1 }, epsilon: 1, noise: gaussian, delta: 1e-6 }
            """;
        ShouldBeAt(At(Errors(zcdpMean), "segments[0].aggregates[0].noise"), 8, ColumnOf(zcdpMean, 8, "gaussian"), "use accountant basic or laplace noise");

        const string basicContinualGaussian = """
            window: { size: 1h }
            budget: { perWindow: { epsilon: 10, delta: 1e-3 }, lifetime: { epsilon: 100, delta: 1e-2 } }
            aggregates:
              - { name: c, kind: count, epsilon: 1, noise: gaussian, delta: 1e-6, continual: true }
            """;
        ShouldBeAt(At(Errors(basicContinualGaussian), "segments[0].aggregates[0].noise"), 8, ColumnOf(basicContinualGaussian, 8, "gaussian"), "use accountant zcdp");
    }

    [Fact]
    public void Parse_ZcdpWithGaussianAndFilterWithSlack_AreValid()
    {
        var policy = TestPolicies.Valid(Head + Indent("""
            window: { size: 10m }
            budget: { accountant: zcdp, perWindow: { rho: 1 }, lifetime: { rho: 10 }, reportingDelta: 1e-8 }
            aggregates:
              - { name: c, kind: count, epsilon: 1, noise: gaussian, delta: 1e-6, continual: true }
            """));
        policy.Segments[0].Privacy.Budget!.Parameter.ShouldBe(new Delta(1e-8));

        var filter = TestPolicies.Valid(Head + Indent("""
            window: { size: 10m }
            budget: { accountant: advanced-filter, perWindow: { epsilon: 1, delta: 1e-6 }, lifetime: { epsilon: 10, delta: 1e-5 } }
            aggregates:
              - { name: c, kind: count, epsilon: 0.1 }
            """));
        filter.Segments[0].Privacy.Budget!.Parameter.ShouldBe(new Delta(5e-7)); // default slack: half the smaller cap δ
    }

    [Theory]
    [InlineData("late: dead-letter", LateRecordHandling.DeadLetter)]
    [InlineData("late: drop", LateRecordHandling.Drop)]
    [InlineData("grace: 5m", LateRecordHandling.DeadLetter)]
    public void Parse_WindowLate_IsParsedAndDefaultsToDeadLetter(string extra, LateRecordHandling expected)
    {
        var window = TestPolicies.Valid(Head + Indent($"window: {{ size: 1h, {extra} }}")).Segments[0].Privacy.Window!;

        window.Late.ShouldBe(expected);
        window.LateName.ShouldBe(expected == LateRecordHandling.Drop ? "drop" : "dead-letter");
    }

    [Fact]
    public void WindowPolicy_ThreeArguments_DefaultsToDeadLetter() =>
        new WindowPolicy(TimeSpan.FromHours(1), TimeSpan.Zero, null).Late.ShouldBe(LateRecordHandling.DeadLetter);

    [Theory]
    [InlineData("PT1H30M", 90 * 60)]
    [InlineData("P1D", 86400)]
    [InlineData("500ms", 0.5)]
    [InlineData("45s", 45)]
    [InlineData("5m", 300)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    public void Parse_Durations_AcceptIsoAndShortForms(string text, double seconds)
    {
        var policy = TestPolicies.Valid(Head + Indent($"window: {{ size: {text} }}"));
        policy.Segments[0].Privacy.Window!.Size.ShouldBe(TimeSpan.FromSeconds(seconds));
    }
}
