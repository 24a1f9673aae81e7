using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Testing;

/// <summary>Segment specs, aggregates and a noise key shared by the window, aggregation and audit tests.</summary>
public static class WindowSpecs
{
    /// <summary>The segment of <see cref="Segment"/>.</summary>
    public const string SegmentName = "clinic-a.eu.visits";

    public static readonly byte[] NoiseKey = [.. Enumerable.Range(100, 32).Select(i => (byte)i)];

    /// <summary>One-minute windows, 10 s grace, 5 min idle close.</summary>
    public static readonly WindowSpec Minute = new(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

    /// <summary>A Laplace count; <paramref name="continual"/> also releases a running total charged ε per window.</summary>
    public static AggregateSpec Count(string name = "visits", double epsilon = 0.5, int perWindow = 1, bool continual = false) => new()
    {
        Name = name,
        Kind = AggregateKind.Count,
        Noise = NoiseParameters.Laplace(epsilon),
        MaxContributionsPerWindow = perWindow,
        Continual = continual ? PrivacyCost.Pure(new Epsilon(epsilon)) : null,
    };

    /// <summary>A Laplace sum of visit.cost clamped to [0, 100].</summary>
    public static AggregateSpec CostSum() => new()
    {
        Name = "cost",
        Kind = AggregateKind.Sum,
        Field = "visit.cost",
        Clamp = new ClampBounds(0, 100),
        Noise = NoiseParameters.Laplace(0.5),
    };

    /// <summary>A Gaussian mean of patient.age clamped to [0, 120].</summary>
    public static AggregateSpec AgeMean() => new()
    {
        Name = "avg-age",
        Kind = AggregateKind.Mean,
        Field = "patient.age",
        Clamp = new ClampBounds(0, 120),
        Noise = NoiseParameters.Gaussian(0.5, 1e-6),
    };

    /// <summary>A Laplace histogram of visit.department over three departments.</summary>
    public static AggregateSpec DepartmentHistogram() => new()
    {
        Name = "departments",
        Kind = AggregateKind.Histogram,
        Field = "visit.department",
        Domain = ["cardio", "neuro", "ortho"],
        Noise = NoiseParameters.Laplace(0.5),
    };

    /// <summary>The top <paramref name="k"/> of visit.diagnosis over <paramref name="domain"/>.</summary>
    public static AggregateSpec DiagnosisTopK(IReadOnlyList<string> domain, int k = 1) => new()
    {
        Name = "top-diagnosis",
        Kind = AggregateKind.TopK,
        Field = "visit.diagnosis",
        Domain = domain,
        K = k,
        Noise = NoiseParameters.Laplace(0.5),
    };

    /// <summary>Segment <see cref="SegmentName"/> under basic composition: window cap (10, 1e-3), lifetime cap (1000, 0.1).</summary>
    public static SegmentAggregationSpec Segment(
        IReadOnlyList<AggregateSpec>? aggregates = null,
        BudgetSpec? budget = null,
        WindowSpec? window = null,
        string policyVersion = "v1") => new()
        {
            Segment = SegmentName,
            PolicyVersion = policyVersion,
            Window = window ?? Minute,
            Aggregates = aggregates ?? [Count()],
            Budget = budget ?? new BudgetSpec
            {
                WindowCap = PrivacyCost.Approximate(new Epsilon(10), new Delta(1e-3)),
                LifetimeCap = PrivacyCost.Approximate(new Epsilon(1000), new Delta(0.1)),
            },
        };

    /// <summary>All aggregate kinds, for tests that must cover each.</summary>
    public static IReadOnlyList<AggregateSpec> AllKinds() =>
        [Count(), CostSum(), AgeMean(), DepartmentHistogram(), DiagnosisTopK(["J45", "I10", "E11", "M54"], k: 2)];

    /// <summary>One input per aggregate: present for counts, <paramref name="number"/> for sums and means, else <paramref name="category"/>.</summary>
    public static AggregateInput[] Inputs(SegmentAggregationSpec spec, double number = 10, int category = 0) =>
        [.. spec.Aggregates.Select(a => a.Kind switch
        {
            AggregateKind.Count => AggregateInput.Present,
            AggregateKind.Sum or AggregateKind.Mean => AggregateInput.FromNumber(number),
            _ => AggregateInput.FromCategory(category),
        })];

    /// <summary>Unix ms of minute <paramref name="minute"/> plus <paramref name="seconds"/>.</summary>
    public static long At(long minute, double seconds = 0) => (minute * 60_000) + (long)(seconds * 1000);
}
