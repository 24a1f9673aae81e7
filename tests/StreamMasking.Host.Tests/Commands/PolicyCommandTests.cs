using StreamMasking.Testing;
using static StreamMasking.Host.Tests.Support.CliRunner;

namespace StreamMasking.Host.Tests.Commands;

public sealed class PolicyCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sm-policy-").FullName;

    [Fact]
    public void Validate_ShippedDemoPolicy_ExitZero()
    {
        var (exit, output, error) = Invoke("policy", "validate", TestPolicies.DemoPolicyPath);

        exit.ShouldBe(0, error);
        output.ShouldContain("valid");
        output.ShouldContain("clinic-a.eu.visits -> masked.clinic-a.eu.visits");
    }

    [Fact]
    public void Validate_BadAction_ExitOneNamingFileLineAndKey()
    {
        var path = Path.Combine(_directory, "bad.yaml");
        File.WriteAllText(path, """
            version: "1"
            segments:
              - name: s1
                match: { field: tenant, equals: a }
                fields:
                  patient.age: { action: generalize, bucket: -5 }
            """);

        var (exit, _, error) = Invoke("policy", "validate", path);

        exit.ShouldBe(1);
        error.ShouldContain("bad.yaml:6:");
        error.ShouldContain("patient.age");
    }

    [Fact]
    public void Validate_MissingFile_ExitOne()
    {
        var (exit, _, error) = Invoke("policy", "validate", Path.Combine(_directory, "nope.yaml"));

        exit.ShouldBe(1);
        error.ShouldContain("nope.yaml");
    }

    [Fact]
    public void Explain_DemoPolicy_NamesEverySegment()
    {
        var (exit, output, error) = Invoke("policy", "explain", TestPolicies.DemoPolicyPath);

        exit.ShouldBe(0, error);
        foreach (var segment in new[] { "clinic-a.eu.visits", "clinic-b.us.visits", "payments" })
        {
            output.ShouldContain(segment);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
