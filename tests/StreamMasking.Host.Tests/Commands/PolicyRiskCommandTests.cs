using StreamMasking.Testing;
using static StreamMasking.Host.Tests.Support.CliRunner;

namespace StreamMasking.Host.Tests.Commands;

/// <summary><c>policy explain</c> and <c>policy validate</c>: the risk map across segments and time, and its warnings.</summary>
public sealed class PolicyRiskCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sm-policy-risk-").FullName;

    private static string Demo => TestPolicies.DemoPolicyPath;

    [Fact]
    public void Explain_DemoPolicy_ComposesPatientIdAcrossItsSegments()
    {
        var (exit, output, error) = Invoke("policy", "explain", Demo);

        exit.ShouldBe(0, error);
        output.ShouldContain("privacy unit patient.id across segments clinic-a.eu.visits, clinic-b.eu.visits, payments");
        output.ShouldContain("  worst case per unit, one window of each of these segments: ε=");
        // The US visit segments noise patient.id's events without a unit: over every segment the loss is unbounded.
        output.ShouldContain("  over every segment it can appear in: unbounded (clinic-a.us.visits, clinic-b.us.visits name patient.id");
    }

    [Fact]
    public void Explain_DemoPolicy_StatesHowLongEachLifetimeCapLasts()
    {
        var (_, output, _) = Invoke("policy", "explain", Demo);

        // 0.8 in the first window, then 0.6: the rounded-up sums fit 11 windows under 7.4; 0.4 under 12: 29 windows.
        output.ShouldContain("lifetime cap lasts 11 window(s) of 5s (55s of event time; empty windows are released too)");
        output.ShouldContain("lifetime cap lasts 29 window(s) of 5s");
        output.ShouldContain("lifetime cap lasts 12 window(s) of 5s (1m of event time");
        output.ShouldContain("per window aggregate departments (histogram, laplace): ε=0.2, δ=0; add/remove; under replace ε=0.4, δ=0");
    }

    [Fact]
    public void Validate_DemoPolicy_WarnsOnUnboundedNoiseAndLargeWindowEpsilonButStaysValid()
    {
        var (exit, output, error) = Invoke("policy", "validate", Demo);

        exit.ShouldBe(0, error);
        output.ShouldContain("warning: segment clinic-a.us.visits: event-level noise (visit.department, visit.cost) without a privacyUnit");
        output.ShouldContain("warning: segment clinic-a.eu.visits: worst case per unit per window ε=10 exceeds 1");
        output.ShouldNotContain("warning: segment payments");
    }

    [Fact]
    public void Validate_NoiseWithoutUnit_WarnsAndExplainSaysUnbounded()
    {
        var path = Path.Combine(_directory, "nounit.yaml");
        File.WriteAllText(path, """
            version: "1"
            segments:
              - name: s1
                match: { field: tenant, equals: a }
                fields:
                  cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 10 } }
            """);

        var (exit, output, _) = Invoke("policy", "validate", path);
        var (_, explained, _) = Invoke("policy", "explain", path);

        exit.ShouldBe(0);
        output.ShouldContain("warning: segment s1: event-level noise (cost) without a privacyUnit");
        explained.ShouldContain("worst case per unit per window (replace relation): unbounded");
        explained.ShouldContain("warning: segment s1: event-level noise (cost) without a privacyUnit");
    }

    [Fact]
    public void Validate_BoundedSmallPolicy_HasNoWarnings()
    {
        var path = Path.Combine(_directory, "small.yaml");
        File.WriteAllText(path, """
            version: "1"
            segments:
              - name: s1
                match: { field: tenant, equals: a }
                fields:
                  pid: tokenize
                  cost: { action: laplace, epsilon: 0.2, clamp: { min: 0, max: 10 } }
                privacyUnit: { field: pid, maxEventsPerWindow: 2 }
                window: { size: 1h }
            """);

        var (exit, output, _) = Invoke("policy", "validate", path);

        exit.ShouldBe(0);
        output.ShouldNotContain("warning");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
