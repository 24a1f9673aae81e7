using System.Globalization;
using System.Net.Mime;
using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Audit;

/// <summary>
/// Real release outcomes for the audit tests: windows sealed by <see cref="SegmentWindowEngine"/> and released by
/// <see cref="WindowReleaser"/>, so the tests follow the real types.
/// </summary>
internal static class AuditFixtures
{
    internal const string Segment = WindowSpecs.SegmentName;
    internal const string Topic = "streammasking.audit";
    internal const string Instance = "node-1";

    internal static readonly byte[] NoiseKey = WindowSpecs.NoiseKey;

    internal static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, 123, TimeSpan.Zero);

    internal static AuditEventWriter Writer() => new(Topic, Instance, new FakeTimeProvider(Now));

    internal static AggregateSpec Count(string name = "visits", double epsilon = 0.5, bool continual = false) =>
        WindowSpecs.Count(name, epsilon, continual: continual);

    /// <summary>Count (continual), sum, mean, histogram and top-k under basic composition.</summary>
    internal static SegmentAggregationSpec AllKinds(string policyVersion = "v1") => Spec(
        [
            Count(continual: true),
            WindowSpecs.CostSum(),
            WindowSpecs.AgeMean(),
            WindowSpecs.DepartmentHistogram(),
            WindowSpecs.DiagnosisTopK(["J45", "I10", "E11"]),
        ],
        policyVersion: policyVersion);

    /// <summary>A Gaussian count charged as ρ under zCDP (the release carries <c>rho</c>).</summary>
    internal static SegmentAggregationSpec Zcdp() => Spec(
        [new AggregateSpec { Name = "visits", Kind = AggregateKind.Count, Noise = NoiseParameters.Gaussian(1, 1e-6) }],
        new BudgetSpec { Accountant = AccountantKind.Zcdp, WindowCap = PrivacyCost.Zcdp(new Rho(1)), LifetimeCap = PrivacyCost.Zcdp(new Rho(10)) });

    internal static SegmentAggregationSpec Spec(IReadOnlyList<AggregateSpec> aggregates, BudgetSpec? budget = null, string policyVersion = "v1") =>
        WindowSpecs.Segment(aggregates, budget, policyVersion: policyVersion);

    /// <summary>Seals windows 0 .. <paramref name="windows"/> − 1 with two records in window 0 (the rest empty).</summary>
    internal static IReadOnlyList<SealedWindow> Seal(SegmentAggregationSpec spec, int windows = 1)
    {
        var engine = new SegmentWindowEngine(spec, new FakeTimeProvider(Now));
        var sealedWindows = new List<SealedWindow>();
        var inputs = WindowSpecs.Inputs(spec, number: 42, category: 1);
        engine.Observe(1_000, null, inputs, sealedWindows);
        engine.Observe(2_000, null, inputs, sealedWindows);
        // Window i closes once stream time reaches its end plus the 10 s grace.
        engine.Observe((windows * 60_000L) + 10_000, null, inputs, sealedWindows);
        sealedWindows.Count.ShouldBe(windows);
        return sealedWindows;
    }

    /// <summary>Seals and releases window 0 of <paramref name="spec"/> against a fresh ledger.</summary>
    internal static Released ReleaseFirstWindow(SegmentAggregationSpec spec)
    {
        var window = Seal(spec)[0];
        var ledger = spec.Budget.CreateLedger();
        var continual = spec.Aggregates.Any(a => a.IsContinual) ? new ContinualTotals(spec, NoiseKey) : null;
        var outcomes = WindowReleaser.Release(window, spec, NoiseKey, ledger, continual);
        return new Released(window, ledger, outcomes);
    }

    /// <summary>
    /// Two counts at ε = 0.5 under a window cap of 0.7, window 0 released: the first is paid, the second suppressed
    /// (window cap exceeded); releasing the window again replays the first.
    /// </summary>
    internal static CappedPairCase CappedPair()
    {
        var spec = Spec(
            [Count("a"), Count("b")],
            new BudgetSpec { WindowCap = PrivacyCost.Pure(new Epsilon(0.7)), LifetimeCap = PrivacyCost.Pure(new Epsilon(10)) });
        var released = ReleaseFirstWindow(spec);
        var replayed = WindowReleaser.Release(released.Window, spec, NoiseKey, released.Ledger)[0];
        replayed.Kind.ShouldBe(ReleaseOutcome.Replayed);
        return new CappedPairCase(spec, released, released.Outcomes[0], released.Outcomes[1], replayed);
    }

    /// <summary>A two-segment DP policy (basic and zCDP budgets, every aggregate kind) plus a segment without DP.</summary>
    internal static PrivacyPolicy DpPolicy()
    {
        var yaml = """
            version: "dp-1"

            segments:
              - name: visits
                match: { field: type, equals: visit }
                fields:
                  eventId: keep
                  tenant: keep
                  region: keep
                  patient.id: tokenize
                  patient.age: { action: generalize, bucket: 10 }
                  visit.at: { action: generalize, truncate: hour }
                  # Event-level DP: each event's noised fields cost its patient ε = 0.5 + 1 = 1.5.
                  visit.cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 5000 } }
                  visit.department:
                    action: randomized-response
                    epsilon: 1
                    categories: [cardiology, oncology, emergency, pediatrics]
                privacyUnit:
                  field: patient.id
                  maxEventsPerWindow: 4          # at most 4 noised events per patient per hour
                  overCap: strip-noised-fields   # further events are published without cost and department
                window:
                  size: 1h
                  grace: 5m
                  idleClose: 10m
                  late: dead-letter              # a visit arriving after its hour closed (+5m grace) is dead-lettered late_record
                budget:
                  accountant: basic
                  perWindow: { epsilon: 1.0, delta: 1e-6 }
                  lifetime: { epsilon: 200, delta: 1e-4 }
                aggregates:
                  - { name: visits, kind: count, epsilon: 0.2, continual: true }
                  - name: cost
                    kind: sum
                    field: visit.cost
                    clamp: { min: 0, max: 5000 }
                    maxContributionsPerUnit: 4
                    epsilon: 0.2
                  - name: mean-age
                    kind: mean
                    field: patient.age
                    clamp: { min: 0, max: 110 }
                    epsilon: 0.1
                    noise: gaussian
                    delta: 1e-7
                  - name: departments
                    kind: histogram
                    field: visit.department
                    domain: [cardiology, oncology, emergency, pediatrics]
                    epsilon: 0.2
                  - name: top-department
                    kind: top-k
                    field: visit.department
                    domain: [cardiology, oncology, emergency, pediatrics]
                    k: 1
                    epsilon: 0.1

              - name: payments
                match: { field: type, equals: payment }
                fields:
                  eventId: keep
                  patient.id: tokenize
                  payment.currency: keep
                  payment.amount: { action: gaussian, epsilon: 1, delta: 1e-6, clamp: { min: 0, max: 10000 } }
                privacyUnit: { field: patient.id, maxEventsPerWindow: 10, overCap: drop, lifetime: { rho: 3 } }
                # Late payments (window closed, past grace) are counted and dropped: never published, aggregated or dead-lettered.
                window: { size: PT1H, grace: PT5M, late: drop }
                budget:
                  accountant: zcdp
                  perWindow: { rho: 0.05 }
                  lifetime: { rho: 5 }
                aggregates:
                  - name: revenue
                    kind: sum
                    field: payment.amount
                    clamp: { min: 0, max: 10000 }
                    epsilon: 0.5
                    noise: gaussian
                    delta: 1e-7
                    continual: true
              - name: notes
                match: { field: type, equals: note }
                fields:
                  eventId: keep
            """;
        var result = PolicyLoader.Parse(yaml, "dp.yaml");
        result.IsValid.ShouldBeTrue(string.Join(Environment.NewLine, result.Diagnostics));
        return result.Policy!;
    }

    /// <summary>
    /// A valid policy of <paramref name="count"/> segments without DP, named <c>s00000</c>, <c>s00001</c>, … (each
    /// name padded with <c>x</c> to <paramref name="nameLength"/> characters when longer than that).
    /// </summary>
    internal static PrivacyPolicy ManySegments(int count, int nameLength = 6)
    {
        var yaml = new StringBuilder("version: \"many-1\"\nsegments:\n");
        for (var i = 0; i < count; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - name: {SegmentName(i, nameLength)}\n    match: {{ field: t, equals: \"{i}\" }}\n");
        }

        return Parse(yaml.ToString(), "many.yaml");
    }

    /// <summary>The name of segment <paramref name="index"/> of <see cref="ManySegments"/>.</summary>
    internal static string SegmentName(int index, int nameLength = 6) =>
        ("s" + index.ToString("D5", CultureInfo.InvariantCulture)).PadRight(nameLength, 'x');

    /// <summary>
    /// Segments <c>small-a</c>, <c>big</c> and <c>small-b</c>; <c>big</c> has <paramref name="aggregates"/> counts
    /// with 200-character names (about 285 bytes each in the policy-loaded event).
    /// </summary>
    internal static PrivacyPolicy BigSegmentBetweenSmallOnes(int aggregates)
    {
        var yaml = new StringBuilder("""
            version: "big-1"
            segments:
              - name: small-a
                match: { field: t, equals: a }
              - name: big
                match: { field: t, equals: big }
                fields: { patient.id: tokenize }
                privacyUnit: { field: patient.id, maxEventsPerWindow: 1, overCap: drop }
                window: { size: 1h, grace: 5m }
                budget: { accountant: basic, perWindow: { epsilon: 1000 }, lifetime: { epsilon: 100000 } }
                aggregates:

            """);
        for (var i = 0; i < aggregates; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"      - {{ name: {i.ToString("D5", CultureInfo.InvariantCulture).PadRight(200, 'a')}, kind: count, epsilon: 0.001 }}\n");
        }

        yaml.Append("""
              - name: small-b
                match: { field: t, equals: b }

            """);
        return Parse(yaml.ToString(), "big.yaml");
    }

    private static PrivacyPolicy Parse(string yaml, string source)
    {
        var result = PolicyLoader.Parse(yaml, source);
        result.IsValid.ShouldBeTrue(string.Join(Environment.NewLine, result.Diagnostics.Take(5)));
        return result.Policy!;
    }

    /// <summary>Decodes an audit record with the CloudEvents SDK (structured mode).</summary>
    internal static CloudEvent Decode(OutputRecord record) =>
        new JsonEventFormatter().DecodeStructuredModeMessage(
            record.Message.Value,
            new ContentType(Records.Header(record.Message, AuditEventWriter.ContentTypeHeader)),
            extensionAttributes: null);

    internal sealed record Released(SealedWindow Window, BudgetLedger Ledger, IReadOnlyList<AggregateReleaseResult> Outcomes);

    internal sealed record CappedPairCase(
        SegmentAggregationSpec Spec, Released Released, AggregateReleaseResult Paid, AggregateReleaseResult Suppressed, AggregateReleaseResult Replayed);
}
