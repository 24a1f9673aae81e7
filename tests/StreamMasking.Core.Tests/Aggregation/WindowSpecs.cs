using StreamMasking.Core.Aggregation;
using StreamMasking.Core.Windows;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Tests.Aggregation;

/// <summary>Segment specs and a noise key shared by the window and aggregation tests.</summary>
internal static class WindowSpecs
{
    public static readonly byte[] NoiseKey = [.. Enumerable.Range(100, 32).Select(i => (byte)i)];

    public static readonly WindowSpec Minute = new(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

    public static AggregateSpec Count(string name = "visits", double epsilon = 0.5, int perWindow = 1) => new()
    {
        Name = name,
        Kind = AggregateKind.Count,
        Noise = NoiseParameters.Laplace(epsilon),
        MaxContributionsPerWindow = perWindow,
    };

    public static SegmentAggregationSpec Segment(
        IReadOnlyList<AggregateSpec>? aggregates = null,
        BudgetSpec? budget = null,
        WindowSpec? window = null,
        string policyVersion = "v1") => new()
        {
            Segment = "clinic-a.eu.visits",
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
    [
        Count(),
        new AggregateSpec
        {
            Name = "cost",
            Kind = AggregateKind.Sum,
            Field = "visit.cost",
            Clamp = new ClampBounds(0, 100),
            Noise = NoiseParameters.Laplace(0.5),
        },
        new AggregateSpec
        {
            Name = "avg-age",
            Kind = AggregateKind.Mean,
            Field = "patient.age",
            Clamp = new ClampBounds(0, 120),
            Noise = NoiseParameters.Gaussian(0.5, 1e-6),
        },
        new AggregateSpec
        {
            Name = "departments",
            Kind = AggregateKind.Histogram,
            Field = "visit.department",
            Domain = ["cardio", "neuro", "ortho"],
            Noise = NoiseParameters.Laplace(0.5),
        },
        new AggregateSpec
        {
            Name = "top-diagnosis",
            Kind = AggregateKind.TopK,
            Field = "visit.diagnosis",
            Domain = ["J45", "I10", "E11", "M54"],
            K = 2,
            Noise = NoiseParameters.Laplace(0.5),
        },
    ];

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
