using System.Text;
using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Host.Demo;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Host.Tests.Demo;

/// <summary>The demo reads releases as a consumer of the aggregates topic would: from the canonical release JSON.</summary>
public sealed class ReleaseViewTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 16, 7, 5, TimeSpan.Zero);

    private static WindowRelease Release(AggregateKind kind, string aggregate = "visits") => new()
    {
        Segment = "clinic-a.eu.visits",
        PolicyVersion = "demo-1",
        Aggregate = aggregate,
        Kind = kind,
        WindowIndex = Start.ToUnixTimeMilliseconds() / 5000,
        WindowStartMs = Start.ToUnixTimeMilliseconds(),
        WindowEndMs = Start.ToUnixTimeMilliseconds() + 5000,
        Mechanism = "laplace",
        Epsilon = 0.2,
        Delta = 0,
        NoiseScale = 5,
    };

    [Fact]
    public void Parse_Count_ValueAndHalfWidthInTheReleaseLine()
    {
        var json = ReleaseJson.Serialize(Release(AggregateKind.Count) with { Value = 37.2, Interval = new ConfidenceInterval(22, 52, 0.95) });

        var view = ReleaseView.Parse(json).ShouldNotBeNull();

        view.Segment.ShouldBe("clinic-a.eu.visits");
        view.WindowStart.ShouldBe(Start);
        view.Value.ShouldBe(37.2);
        view.HalfWidth.ShouldBe(15);
        HeadlessReporter.ReleaseLine(view).ShouldBe("release [clinic-a.eu.visits] visits window 16:07:05Z: 37.2 ± 15.0 (ε=0.2)");
    }

    [Fact]
    public void Parse_ContinualZcdpTotal_LabelStepAndRho()
    {
        var json = ReleaseJson.Serialize(Release(AggregateKind.Sum, "revenue") with
        {
            Continual = true,
            Rho = 0.0038,
            Step = 3,
            Value = 12345.6,
            Interval = new ConfidenceInterval(10000, 14691.2, 0.95),
        });

        var view = ReleaseView.Parse(json).ShouldNotBeNull();

        view.Label.ShouldBe("revenue (total)");
        HeadlessReporter.ReleaseLine(view).ShouldEndWith("window 16:07:05Z step 3: 12,346 ± 2,346 (ρ=0.0038)");
    }

    [Fact]
    public void Parse_Histogram_LargestBinsFirst()
    {
        var json = ReleaseJson.Serialize(Release(AggregateKind.Histogram, "departments") with
        {
            Bins = [new ReleasedBin("cardiology", 3, -7, 13), new ReleasedBin("oncology", 12.5, 2.5, 22.5), new ReleasedBin("emergency", -1, -11, 9)],
        });

        var view = ReleaseView.Parse(json).ShouldNotBeNull();

        view.Describe(maxBins: 2).ShouldBe("oncology=12.5 cardiology=3.0 (± 10.0)");
    }

    [Fact]
    public void Parse_TopK_SelectedKeys()
    {
        var json = ReleaseJson.Serialize(Release(AggregateKind.TopK, "top-departments") with { Selected = ["oncology", "emergency"] });

        ReleaseView.Parse(json).ShouldNotBeNull().Describe().ShouldBe("top: oncology, emergency");
    }

    [Fact]
    public void Parse_NotARelease_Null()
    {
        ReleaseView.Parse("{\"segment\":\"x\"}"u8).ShouldBeNull();
        ReleaseView.Parse("not json"u8).ShouldBeNull();
    }

    [Fact]
    public void Reader_KeepsLatestWindowPerAggregate_AndCountsSuppressionsOncePerId()
    {
        var reader = new ReleaseReader("unused:9092", "streammasking.aggregates", "streammasking.audit");
        var older = Release(AggregateKind.Count) with { Value = 1, Interval = new ConfidenceInterval(0, 2, 0.95) };
        var newer = older with { WindowIndex = older.WindowIndex + 1, Value = 2 };

        reader.OnRelease(ReleaseJson.Serialize(newer));
        reader.OnRelease(ReleaseJson.Serialize(older));
        var suppression = Encoding.UTF8.GetBytes(
            "{\"specversion\":\"1.0\",\"id\":\"ab12\",\"type\":\"io.streammasking.release.suppressed\",\"subject\":\"clinic-a.eu.visits\"}");
        reader.OnAudit(suppression);
        reader.OnAudit(suppression);
        reader.OnAudit(Encoding.UTF8.GetBytes("{\"id\":\"cd34\",\"type\":\"io.streammasking.release\",\"subject\":\"clinic-a.eu.visits\"}"));

        reader.Releases.ShouldBe(2);
        reader.Latest("clinic-a.eu.visits", "visits", continual: false).ShouldNotBeNull().Value.ShouldBe(2);
        reader.Latest("clinic-a.eu.visits", "visits", continual: true).ShouldBeNull();
        reader.Suppressions("clinic-a.eu.visits").ShouldBe(1);
        reader.AuditEvents.ShouldBe(3);
        reader.TryTakeNew(out var first).ShouldBeTrue();
        first.Value.ShouldBe(2);
    }
}
