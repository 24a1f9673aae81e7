using System.CommandLine;
using StreamMasking.Host.Commands;

namespace StreamMasking.Host.Tests.Commands;

public sealed class PolicyCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sm-policy-").FullName;

    private static (int ExitCode, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CliFactory.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Validate_ShippedDemoPolicy_ExitZero()
    {
        var (exit, output, error) = Invoke("policy", "validate", Path.Combine(AppContext.BaseDirectory, "policies", "demo.yaml"));

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
        var (exit, output, error) = Invoke("policy", "explain", Path.Combine(AppContext.BaseDirectory, "policies", "demo.yaml"));

        exit.ShouldBe(0, error);
        foreach (var segment in new[] { "clinic-a.eu.visits", "clinic-b.us.visits", "payments" })
        {
            output.ShouldContain(segment);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
