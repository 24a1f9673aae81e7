using StreamMasking.Deploy.Tests.Helm;
using StreamMasking.Deploy.Tests.Support;
using StreamMasking.Testing;
using YamlDotNet.RepresentationModel;

namespace StreamMasking.Deploy.Tests.Compose;

public sealed class ComposeTests
{
    private static YamlMappingNode Compose()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(RepositoryRoot.Of("docker-compose.yml"))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Service(string name) => Compose().Map("services").Map(name);

    private static IEnumerable<(string Source, string Target)> BindMounts(string service) =>
        Service(service).Has("volumes")
            ? Service(service).Seq("volumes").Select(v => ((YamlScalarNode)v).Value!.Split(':'))
                .Where(p => p[0].StartsWith("./", StringComparison.Ordinal)).Select(p => (p[0], p[1]))
            : [];

    [Fact]
    public void Compose_Services_BrokerServicePrometheusGrafanaAndAnOptionalDemoGenerator()
    {
        var services = Compose().Map("services");

        new[] { "kafka", "streammasking", "prometheus", "grafana", "demo-generator" }
            .ShouldBeSubsetOf(services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!));
        Service("kafka").Str("image").ShouldStartWith("apache/kafka:");
        Service("kafka").Dict("environment")["KAFKA_PROCESS_ROLES"].ShouldBe("broker,controller");
        Service("streammasking").Map("build").Str("dockerfile").ShouldBe("Dockerfile");
        Service("streammasking").Str("read_only").ShouldBe("true");
        Service("demo-generator").Seq("profiles").Select(p => ((YamlScalarNode)p).Value).ShouldBe(["demo"]);
        foreach (var name in new[] { "kafka", "streammasking", "prometheus", "grafana" })
        {
            Service(name).Has("profiles").ShouldBeFalse(name);
        }
    }

    [Fact]
    public void Compose_BindMounts_EveryReferencedFileExists()
    {
        foreach (var service in Compose().Map("services").Children.Keys.Select(k => ((YamlScalarNode)k).Value!))
        {
            foreach (var (source, _) in BindMounts(service))
            {
                var path = RepositoryRoot.Of(source[2..].Split('/'));
                (File.Exists(path) || Directory.Exists(path)).ShouldBeTrue($"{service}: {source} does not exist");
            }
        }
    }

    [Fact]
    public void Compose_SharedFiles_SameRulesAndDashboardAsTheHelmChart()
    {
        BindMounts("prometheus").ShouldContain(("./helm/streammasking/files/rules", "/etc/prometheus/rules"));
        BindMounts("grafana").ShouldContain(("./helm/streammasking/files/dashboards", "/var/lib/grafana/dashboards/streammasking"));
        var provider = File.ReadAllText(RepositoryRoot.Of("deploy", "grafana", "provisioning", "dashboards", "streammasking.yaml"));
        provider.ShouldContain("path: /var/lib/grafana/dashboards/streammasking");
        var prometheus = File.ReadAllText(RepositoryRoot.Of("deploy", "prometheus", "prometheus.yml"));
        prometheus.ShouldContain("- rules/streammasking-rules.yaml");
        prometheus.ShouldContain("job_name: streammasking");
        prometheus.ShouldContain("- streammasking:9464");
        // Neither compose nor deploy/ holds a copy of the rules or the dashboard.
        Directory.GetFiles(RepositoryRoot.Of("deploy"), "*", SearchOption.AllDirectories)
            .ShouldNotContain(f => f.EndsWith("streammasking-rules.yaml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_ServiceEnvironment_EveryVariableIsARealSettingAndPathsAreMounted()
    {
        var environment = Service("streammasking").Dict("environment");

        foreach (var name in environment.Keys)
        {
            ServiceSettings.IsRealEnvironmentVariable(name, out var why).ShouldBeTrue(why);
        }

        var targets = Service("streammasking").Seq("volumes").Select(v => ((YamlScalarNode)v).Value!.Split(':')[1]).ToList();
        targets.ShouldContain(environment["STREAMMASKING__POLICY__FILE"]);
        targets.ShouldContain(Path.GetDirectoryName(environment["STREAMMASKING__SECRETS__MASTERSECRETFILE"])!);
        targets.ShouldContain(environment["STREAMMASKING__STATE__DIRECTORY"]);
        environment["STREAMMASKING__KAFKA__BOOTSTRAPSERVERS"].ShouldBe("kafka:9092");
        Service("kafka").Dict("environment")["KAFKA_ADVERTISED_LISTENERS"].ShouldContain("PLAINTEXT://kafka:9092");
    }

    [Fact]
    public void Compose_Ports_MatchTheServiceHttpPortAndTheGeneratorTopics()
    {
        var environment = Service("streammasking").Dict("environment");
        var port = environment["STREAMMASKING__HTTP__PORT"];

        port.ShouldBe("9464");
        Service("streammasking").Seq("ports").Select(p => ((YamlScalarNode)p).Value).ShouldContain($"{port}:{port}");
        File.ReadAllText(RepositoryRoot.Of("deploy", "prometheus", "prometheus.yml")).ShouldContain($"streammasking:{port}");
        var generator = File.ReadAllText(RepositoryRoot.Of("deploy", "demo", "generate-events.sh"));
        foreach (var input in environment.Where(e => e.Key.StartsWith("STREAMMASKING__PIPELINE__INPUTTOPICS__", StringComparison.Ordinal)))
        {
            generator.ShouldContain($"--topic {input.Value}");
        }
    }

    [SkippableFact]
    public void Prometheus_ComposeConfigAsMounted_PassesPromtoolCheckConfig()
    {
        // Lay the files out as the compose mounts put them in the container, then let promtool check the config
        // and the rule files it names.
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var etc = Directory.CreateTempSubdirectory("sm-compose-prometheus-").FullName;
        try
        {
            foreach (var (source, target) in BindMounts("prometheus"))
            {
                target.ShouldStartWith("/etc/prometheus/");
                var local = Path.Combine(etc, target["/etc/prometheus/".Length..]);
                var from = RepositoryRoot.Of(source[2..].Split('/'));
                if (Directory.Exists(from))
                {
                    Directory.CreateDirectory(local);
                    foreach (var file in Directory.GetFiles(from))
                    {
                        File.Copy(file, Path.Combine(local, Path.GetFileName(file)));
                    }
                }
                else
                {
                    File.Copy(from, local);
                }
            }

            var result = ExternalTool.Run(promtool, ["check", "config", Path.Combine(etc, "prometheus.yml")]);

            result.ExitCode.ShouldBe(0, result.ToString());
            result.Output.ShouldContain("SUCCESS: 14 rules found");
        }
        finally
        {
            Directory.Delete(etc, recursive: true);
        }
    }

    [Fact]
    public void Grafana_Datasource_IsTheDefaultPrometheusAtTheComposeService()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(RepositoryRoot.Of("deploy", "grafana", "provisioning", "datasources", "prometheus.yaml"))));
        var source = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode).Seq("datasources").Single();

        source.Str("type").ShouldBe("prometheus");
        source.Str("url").ShouldBe("http://prometheus:9090");
        source.Str("isDefault").ShouldBe("true");
    }
}
