using System.Security.Cryptography;
using System.Text.RegularExpressions;
using StreamMasking.Testing;

namespace StreamMasking.Host.Tests.Support;

/// <summary>
/// <c>streammasking run</c> as a separate process against a broker, with names of its own (input topics, group,
/// repartition topic, transactional ids) so tests sharing a broker never see each other's data, and its HTTP port
/// picked by the service (port 0) and read from its log.
/// </summary>
internal sealed partial class ServiceUnderTest : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sm-service-").FullName;

    private ServiceUnderTest(string bootstrap, string prefix)
    {
        Bootstrap = bootstrap;
        VisitsTopic = prefix + ".visits";
        PaymentsTopic = prefix + ".payments";
        Environment = new Dictionary<string, string>
        {
            ["STREAMMASKING__KAFKA__BOOTSTRAPSERVERS"] = bootstrap,
            ["KAFKA_BOOTSTRAP_SERVERS"] = string.Empty,
            ["STREAMMASKING__PIPELINE__INPUTTOPICS__0"] = VisitsTopic,
            ["STREAMMASKING__PIPELINE__INPUTTOPICS__1"] = PaymentsTopic,
            ["STREAMMASKING__PIPELINE__CONSUMERGROUPID"] = prefix,
            ["STREAMMASKING__PIPELINE__TRANSACTIONALIDPREFIX"] = prefix,
            ["STREAMMASKING__PIPELINE__REPARTITIONTOPIC"] = prefix + ".repartition",
            ["STREAMMASKING__TOPICS__PROVISIONINPUTTOPICS"] = "true",
            ["STREAMMASKING__TOPICS__PARTITIONS"] = "2",
            ["STREAMMASKING__POLICY__FILE"] = TestPolicies.DemoPolicyPath,
            ["STREAMMASKING__STATE__DIRECTORY"] = Path.Combine(_directory, "state"),
            ["STREAMMASKING__HTTP__PORT"] = "0",
            ["STREAMMASKING_MASTER_SECRET"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
    }

    internal string Bootstrap { get; }

    internal string VisitsTopic { get; }

    internal string PaymentsTopic { get; }

    internal Dictionary<string, string> Environment { get; }

    internal HostProcess? Process { get; private set; }

    /// <summary>Base address of the HTTP endpoints, once <see cref="StartAsync"/> returned.</summary>
    internal Uri? Address { get; private set; }

    internal static ServiceUnderTest Create(string bootstrap) => new(bootstrap, $"t{Guid.NewGuid():N}"[..13]);

    /// <summary>Starts the service and waits for its HTTP endpoints.</summary>
    internal async Task StartAsync()
    {
        Process = HostProcess.Start(Environment, "run");
        var address = await Eventually.WaitAsync(
            () => Task.FromResult(Listening().Match(Process.Output) is { Success: true } m ? m.Groups[1].Value : null),
            Process, "the HTTP endpoints");
        Address = new Uri(address);
    }

    public void Dispose()
    {
        Process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The process may hold a file for a moment; temporary space is reclaimed by the OS.
        }
    }

    [GeneratedRegex(@"HTTP endpoints listening on (http://\S+)")]
    private static partial Regex Listening();
}
