using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Reporting;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Policy;

public sealed class PolicyReportTests
{
    [Fact]
    public void ValidateFile_ValidPolicy_SummarisesSegmentsAndActions()
    {
        var path = RepositoryRoot.Of("policies", "examples", "full.yaml");

        var report = PolicyValidator.ValidateFile(path);

        report.IsValid.ShouldBeTrue();
        report.ExitCode.ShouldBe(0);
        report.Lines[0].ShouldBe($"{path}: valid policy version '2026-11-23.1': 3 segment(s), 23 field rule(s) (keep 3, tokenize 8, generalize 7, partial 2, drop 3)");
        report.Lines[1].ShouldBe("  clinic-a.eu.visits -> masked.clinic-a.eu.visits: 9 field(s) (keep 2, tokenize 4, generalize 3)");
        report.Lines.Count.ShouldBe(4);
    }

    [Fact]
    public void Report_InvalidPolicy_ListsEveryDiagnosticThenACount()
    {
        var result = PolicyLoader.Parse("version: '1'\nsegments:\n  - name: 'x y'\n    match: { field: a }\n", "p.yaml");

        var report = PolicyValidator.Report(result, "p.yaml");

        report.IsValid.ShouldBeFalse();
        report.ExitCode.ShouldBe(1);
        report.Lines.ShouldBe(
        [
            "p.yaml:3:11: segments[0].name: segment name 'x y' is not topic-safe: use only letters, digits, '.', '_' and '-'",
            "p.yaml:4:12: segments[0].match: missing an operator: one of 'equals', 'in', 'prefix', 'regex' or 'exists'",
            "p.yaml: invalid policy, 2 error(s); nothing will flow until they are fixed",
        ]);
    }

    [Fact]
    public void Explain_ListsEachFieldAndTheDropDefault()
    {
        var policy = PolicyLoader.LoadFileOrThrow(RepositoryRoot.Of("policies", "examples", "full.yaml"));

        var lines = PolicyExplainer.Explain(policy);

        lines.ShouldContain("segment payments -> topic masked.payments");
        lines.ShouldContain("  match: any(topic == 'payments', field kind matches /payment|refund/)");
        lines.ShouldContain(l => l.StartsWith("  patient.zip ", StringComparison.Ordinal) && l.EndsWith("[tag QUASI]", StringComparison.Ordinal));
        lines.Count(l => l == "  every other field: dropped").ShouldBe(3);
        lines[^1].ShouldContain("dead-lettered");
    }

    [Fact]
    public void Summarize_CountsPerAction()
    {
        var policy = PolicyLoader.LoadFileOrThrow(RepositoryRoot.Of("policies", "examples", "full.yaml"));

        var payments = PolicyExplainer.Summarize(policy)[2];

        payments.ActionCounts["partial"].ShouldBe(1);
        payments.ActionCounts["drop"].ShouldBe(1);
        // 5 path rules plus the 4 schema-tagged fields, which every segment rules through the policy-level tags.
        PolicyExplainer.FormatCounts(payments.ActionCounts).ShouldBe("tokenize 4, generalize 3, partial 1, drop 1");
    }
}
