using StreamMasking.Core.Policy;
using StreamMasking.Host.Tests.Support;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Testing;

namespace StreamMasking.Host.Tests.Demo;

/// <summary>The shipped demo policy declares the DP aggregates the demo shows, and stays valid.</summary>
public sealed class DemoPolicyTests
{
    private static PrivacyPolicy LoadDemo()
    {
        var loaded = PolicyLoader.LoadFile(TestPolicies.DemoPolicyPath);
        loaded.IsValid.ShouldBeTrue(string.Join(Environment.NewLine, loaded.Diagnostics));
        return loaded.Policy.ShouldNotBeNull();
    }

    [Fact]
    public void DemoPolicy_DeclaresAggregatesOnThreeSegments_AndNoneElsewhere()
    {
        var policy = LoadDemo();

        policy.Segments.Where(s => s.Privacy.Aggregates.Count > 0).Select(s => s.Name)
            .ShouldBe(["clinic-a.eu.visits", "clinic-b.eu.visits", "payments"]);
    }

    [Fact]
    public void DemoPolicy_ClinicAEuVisits_CountHistogramAndSumWithBasicBudget()
    {
        var segment = LoadDemo().Segments.Single(s => s.Name == "clinic-a.eu.visits");
        var privacy = segment.Privacy;

        privacy.Aggregates.Select(a => (a.Name, a.KindName, a.Continual))
            .ShouldBe([("visits", "count", true), ("departments", "histogram", false), ("cost", "sum", false)]);
        privacy.Unit.ShouldNotBeNull().MaxEventsPerWindow.ShouldBe(3);
        privacy.Window.ShouldNotBeNull().Size.ShouldBe(TimeSpan.FromSeconds(5));
        privacy.Window.IdleClose.ShouldBe(TimeSpan.FromSeconds(3));
        var budget = privacy.Budget.ShouldNotBeNull();
        budget.AccountantName.ShouldBe("basic");
        // 0.8 for the first window (continual counter included), 0.6 for each later one: 12 windows, about a minute.
        budget.Lifetime.Epsilon.Value.ShouldBe(7.4);
    }

    [Fact]
    public void DemoPolicy_Payments_ContinualGaussianSumUnderZcdp()
    {
        var payments = LoadDemo().Segments.Single(s => s.Name == "payments").Privacy;

        payments.Budget.ShouldNotBeNull().Lifetime.Kind.ShouldBe(PrivacyCostKind.Zcdp);
        var revenue = payments.Aggregates.ShouldHaveSingleItem();
        revenue.KindName.ShouldBe("sum");
        revenue.Continual.ShouldBeTrue();
        revenue.Noise.Kind.ShouldBe(NoiseKind.Gaussian);
    }
}
