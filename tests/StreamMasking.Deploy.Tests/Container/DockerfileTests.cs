using System.Text.RegularExpressions;
using StreamMasking.Deploy.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Deploy.Tests.Container;

public sealed partial class DockerfileTests
{
    /// <summary>The Dockerfile's instructions, continuation lines joined, comments dropped.</summary>
    private static List<(string Instruction, string Arguments)> Instructions()
    {
        var text = File.ReadAllText(RepositoryRoot.Of("Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        return text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2))
            .Select(p => (p[0].ToUpperInvariant(), p.Length > 1 ? Regex.Replace(p[1], " +", " ").Trim() : ""))
            .ToList();
    }

    private static List<(string Instruction, string Arguments)> RuntimeStage() =>
        Instructions().SkipWhile(i => !(i.Instruction == "FROM" && i.Arguments.Contains("/aspnet:", StringComparison.Ordinal))).ToList();

    [Fact]
    public void Dockerfile_Stages_SdkBuildThenAspNetRuntime()
    {
        var froms = Instructions().Where(i => i.Instruction == "FROM").Select(i => i.Arguments).ToList();

        froms.Count.ShouldBe(2);
        froms[0].ShouldStartWith("mcr.microsoft.com/dotnet/sdk:");
        froms[0].ShouldEndWith(" AS build");
        froms[1].ShouldStartWith("mcr.microsoft.com/dotnet/aspnet:");
        RuntimeStage().Where(i => i.Instruction == "COPY").ShouldAllBe(i => i.Arguments.StartsWith("--from=build ", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_Runtime_NonRootFixedUidDiagnosticsOffStateVolumeAndHealthcheck()
    {
        var runtime = RuntimeStage();

        var user = runtime.Single(i => i.Instruction == "USER").Arguments;
        UserSpec().IsMatch(user).ShouldBeTrue(user);
        int.Parse(user.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        var env = Env(runtime);
        env["DOTNET_EnableDiagnostics"].ShouldBe("0");
        env["STREAMMASKING__HTTP__BINDADDRESS"].ShouldBe("0.0.0.0");
        foreach (var name in env.Keys)
        {
            ServiceSettings.IsRealEnvironmentVariable(name, out var why).ShouldBeTrue(why);
        }

        runtime.Single(i => i.Instruction == "VOLUME").Arguments.ShouldContain(env["STREAMMASKING__STATE__DIRECTORY"]);
        // The state directory is created owned by the runtime user, so a fresh named volume is writable for it.
        runtime.ShouldContain(i => i.Instruction == "COPY" && i.Arguments.Contains($"--chown={user}") && i.Arguments.EndsWith(env["STREAMMASKING__STATE__DIRECTORY"]));
        runtime.Single(i => i.Instruction == "EXPOSE").Arguments.ShouldBe(env["STREAMMASKING__HTTP__PORT"]);
        var healthcheck = runtime.Single(i => i.Instruction == "HEALTHCHECK").Arguments;
        healthcheck.ShouldContain("CMD [\"dotnet\", \"/app/streammasking.dll\", \"healthcheck\"]");
        runtime.Single(i => i.Instruction == "ENTRYPOINT").Arguments.ShouldBe("[\"dotnet\", \"/app/streammasking.dll\"]");
        // The runtime image ships no curl or wget: the health check is the binary's own subcommand.
        runtime.ShouldNotContain(i => i.Instruction == "RUN");
    }

    [Fact]
    public void Dockerfile_CopySources_ExistAndAreNotExcludedFromTheContext()
    {
        var ignored = File.ReadAllLines(RepositoryRoot.Of(".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        var copies = Instructions().Where(i => i.Instruction == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal)).ToList();
        copies.ShouldNotBeEmpty();
        foreach (var (_, arguments) in copies)
        {
            var parts = arguments.Split(' ');
            foreach (var source in parts[..^1])
            {
                var path = RepositoryRoot.Of(source.TrimEnd('/').Split('/'));
                (File.Exists(path) || Directory.Exists(path)).ShouldBeTrue($"COPY source {source} does not exist");
                ignored.ShouldNotContain(p => IsExcluded(source.TrimEnd('/'), p), $"COPY source {source} is excluded by .dockerignore");
            }
        }

        ignored.ShouldContain("**/bin/");
        ignored.ShouldContain("**/obj/");
        ignored.ShouldContain(".git/");
    }

    [Fact]
    public void Dockerfile_HealthcheckSubcommand_IsRegisteredInTheCli()
    {
        var cli = File.ReadAllText(RepositoryRoot.Of("src", "StreamMasking.Host", "Commands", "CliFactory.cs"));

        cli.ShouldContain("HealthcheckCommand.Create()");
        File.ReadAllText(RepositoryRoot.Of("src", "StreamMasking.Host", "Commands", "HealthcheckCommand.cs")).ShouldContain("new Command(\"healthcheck\"");
    }

    private static Dictionary<string, string> Env(IEnumerable<(string Instruction, string Arguments)> stage) =>
        stage.Where(i => i.Instruction == "ENV")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(kv => kv.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1]);

    // .dockerignore patterns used here: "dir/" and "**/dir/" (directories), "*.ext", plain names.
    private static bool IsExcluded(string source, string pattern)
    {
        var p = pattern.TrimEnd('/');
        if (p.StartsWith("**/", StringComparison.Ordinal))
        {
            return source.Split('/').Contains(p[3..]);
        }

        if (p.StartsWith("*.", StringComparison.Ordinal))
        {
            return !source.Contains('/', StringComparison.Ordinal) && source.EndsWith(p[1..], StringComparison.Ordinal);
        }

        return source == p || source.StartsWith(p + "/", StringComparison.Ordinal);
    }

    [GeneratedRegex("^[0-9]+:[0-9]+$")]
    private static partial Regex UserSpec();
}
