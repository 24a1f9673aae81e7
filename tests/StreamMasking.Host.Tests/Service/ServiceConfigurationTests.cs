using Microsoft.Extensions.Configuration;
using StreamMasking.Host.Commands;
using StreamMasking.Host.Service;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Testing;

namespace StreamMasking.Host.Tests.Service;

public sealed class ServiceConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sm-run-").FullName;

    private static IConfiguration Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void Bind_EnvironmentStyleKeys_FillOptionsAndPassThroughProperties()
    {
        var options = ServiceConfiguration.Bind(Config(new()
        {
            ["STREAMMASKING:KAFKA:BOOTSTRAPSERVERS"] = "k1:9092",
            ["STREAMMASKING:PIPELINE:INPUTTOPICS:0"] = "visits",
            ["STREAMMASKING:PIPELINE:BATCHMAXINTERVAL"] = "00:00:01",
            ["STREAMMASKING:KAFKA:PROPERTIES:SASL_MECHANISM"] = "PLAIN",
        }));

        options.Kafka.BootstrapServers.ShouldBe("k1:9092");
        options.Pipeline.InputTopics.ShouldBe(["visits"]);
        options.Pipeline.BatchMaxInterval.ShouldBe(TimeSpan.FromSeconds(1));
        options.Kafka.Properties.ShouldContainKeyAndValue("SASL_MECHANISM", "PLAIN");
    }

    [Fact]
    public void Bind_OnlyKafkaBootstrapServersVariable_IsUsed()
    {
        ServiceConfiguration.Bind(Config(new() { ["KAFKA_BOOTSTRAP_SERVERS"] = "k2:9092" })).Kafka.BootstrapServers.ShouldBe("k2:9092");
    }

    [Fact]
    public void Prepare_NoMasterSecret_RefusesToStartNamingTheSetting()
    {
        var options = Valid();
        options.Secrets.MasterSecretEnvironmentVariable = "SM_TEST_SECRET_THAT_IS_NOT_SET_" + Guid.NewGuid().ToString("N");
        var error = new StringWriter();

        RunCommand.Prepare(options, error).ShouldBeNull();

        error.ToString().ShouldContain(options.Secrets.MasterSecretEnvironmentVariable);
    }

    [Fact]
    public void Prepare_InvalidPolicy_RefusesToStartWithDiagnostics()
    {
        var options = Valid();
        options.Policy.File = Path.Combine(_directory, "broken.yaml");
        File.WriteAllText(options.Policy.File, "version: 1\nsegments: []\nbogus: true\n");
        var error = new StringWriter();

        RunCommand.Prepare(options, error).ShouldBeNull();

        error.ToString().ShouldContain("broken.yaml:");
        error.ToString().ShouldContain("refusing to start");
    }

    [Fact]
    public void Prepare_ValidEverything_ReturnsSettings()
    {
        var options = Valid();
        var secretFile = Path.Combine(_directory, "secret");
        File.WriteAllText(secretFile, Convert.ToBase64String(new byte[32]));
        options.Secrets.MasterSecretFile = secretFile;

        var settings = RunCommand.Prepare(options, new StringWriter()).ShouldNotBeNull();

        settings.Policy.Segments.Count.ShouldBe(5);
        settings.PolicyContentHash.Length.ShouldBe(16);
    }

    [Fact]
    public void Prepare_NoBootstrapServers_RefusesAndSaysHowToSetThemOrRunTheDemo()
    {
        var options = Valid();
        options.Kafka.BootstrapServers = null;
        var error = new StringWriter();

        RunCommand.Prepare(options, error).ShouldBeNull();

        error.ToString().ShouldContain("StreamMasking:Kafka:BootstrapServers: is required");
        error.ToString().ShouldContain("streammasking demo");
    }

    [Fact]
    public void Prepare_BadSettingInvalidPolicyAndNoSecret_ReportsEachOfThem()
    {
        var options = Valid();
        options.Http.Port = 70_000;
        options.Policy.File = Path.Combine(_directory, "broken.yaml");
        File.WriteAllText(options.Policy.File, "version: 1\nsegments: []\nbogus: true\n");
        options.Secrets.MasterSecretEnvironmentVariable = "SM_TEST_SECRET_THAT_IS_NOT_SET_" + Guid.NewGuid().ToString("N");
        var error = new StringWriter();

        RunCommand.Prepare(options, error).ShouldBeNull();

        var output = error.ToString();
        output.ShouldContain("StreamMasking:Http:Port: must be between 0 and 65535");
        output.ShouldContain("broken.yaml:");
        output.ShouldContain("refusing to start");
        output.ShouldContain(options.Secrets.MasterSecretEnvironmentVariable);
    }

    [Fact]
    public void Prepare_BadSettingAndSettingThePolicyMakesInvalid_ReportsBoth()
    {
        var options = Valid();
        options.Pipeline.StreamThreads = 0;
        options.Pipeline.InputKeyedBySegment = true;
        options.Pipeline.InputTopics = ["visits", "payments"];
        var secretFile = Path.Combine(_directory, "secret");
        File.WriteAllText(secretFile, Convert.ToBase64String(new byte[32]));
        options.Secrets.MasterSecretFile = secretFile;
        var error = new StringWriter();

        RunCommand.Prepare(options, error).ShouldBeNull();

        var output = error.ToString();
        output.ShouldContain("StreamMasking:Pipeline:StreamThreads: must be between 1 and 32");
        output.ShouldContain("StreamMasking:Pipeline:InputTopics: with InputKeyedBySegment and a policy that declares windows, exactly one input topic is allowed");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static StreamMaskingOptions Valid() => new()
    {
        Kafka = { BootstrapServers = "127.0.0.1:9092" },
        Pipeline = { InputTopics = ["visits"] },
        Policy = { File = TestPolicies.DemoPolicyPath },
    };
}
