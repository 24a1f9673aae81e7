using System.Text.RegularExpressions;
using StreamMasking.Core.Policy;
using StreamMasking.Host.Commands;
using StreamMasking.Host.Tests.Support;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Testing;
using YamlDotNet.RepresentationModel;
using static StreamMasking.Host.Tests.Support.CliRunner;

namespace StreamMasking.Host.Tests.Commands;

public sealed partial class AclCommandTests : IDisposable
{
    private const string Service = "User:streammasking";
    private readonly string _directory = Directory.CreateTempSubdirectory("sm-acl-").FullName;

    private static readonly string[] InputArgs =
    [
        "--StreamMasking:Pipeline:InputTopics:0=demo.visits", "--StreamMasking:Pipeline:InputTopics:1=demo.payments",
    ];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Plan_DemoPolicy_EachMaskedTopicReadOnlyByTheConsumersOfItsSegment()
    {
        var policy = DemoPolicy();
        var (plan, errors) = AclPlanner.Plan(policy, Options(), LoadMap(DemoMap()));

        errors.ShouldBeEmpty();
        foreach (var segment in policy.Segments)
        {
            var expected = segment.Name switch
            {
                "clinic-a.eu.visits" or "clinic-b.eu.visits" => new[] { "User:analytics-eu" },
                "payments" => ["User:billing", "User:analytics-eu"],
                _ => [],
            };
            plan!.ReadersOf(segment.MaskedTopic).ShouldBe(expected, ignoreOrder: true, segment.Name);
        }
    }

    [Fact]
    public void Plan_DemoPolicy_RawRepartitionAndChangelogTopicsReadOnlyByTheService()
    {
        var (plan, _) = AclPlanner.Plan(DemoPolicy(), Options(), LoadMap(DemoMap()));

        plan!.ServiceOnlyTopics.ShouldBe(["demo.visits", "demo.payments", "streammasking.repartition", "streammasking-dp-state-changelog"]);
        foreach (var topic in plan.ServiceOnlyTopics)
        {
            plan.ReadersOf(topic).ShouldBe([Service], topic);
        }

        // Readers get Read only where the map says, nothing else: no wildcard or prefixed topic grant.
        foreach (var entry in plan.Entries.Where(e => e.Principal != Service))
        {
            entry.Prefixed.ShouldBeFalse();
            entry.Operations.ShouldBe(["Read", "Describe"]);
        }
    }

    [Fact]
    public void Plan_DemoPolicy_ServiceWritesEveryOutputAndOwnsItsGroupsAndTransactionalIds()
    {
        var policy = DemoPolicy();
        var (plan, _) = AclPlanner.Plan(policy, Options(), LoadMap(DemoMap()));
        var service = plan!.Entries.Where(e => e.Principal == Service).ToList();

        var outputs = policy.Segments.Select(s => s.MaskedTopic)
            .Concat(["streammasking.dlq", "streammasking.aggregates", "streammasking.audit", "streammasking.repartition"]);
        foreach (var topic in outputs)
        {
            service.ShouldContain(e => e.ResourceType == AclEntry.Topic && e.Name == topic && e.Operations.Contains("Write"), topic);
        }

        service.ShouldContain(e => e.ResourceType == AclEntry.Group && e.Name == "streammasking.route" && e.Operations.Contains("Read"));
        service.ShouldContain(e => e.ResourceType == AclEntry.Group && e.Name == "streammasking.mask" && e.Operations.Contains("Read"));
        service.ShouldContain(e => e.ResourceType == AclEntry.TransactionalId && e.Name == "streammasking." && e.Prefixed);
        // The service never needs to read its own outputs.
        service.Where(e => e.Operations.Contains("Read") && e.ResourceType == AclEntry.Topic).Select(e => e.Name)
            .ShouldBe(plan.ServiceOnlyTopics, ignoreOrder: true);
    }

    [Fact]
    public void Plan_InputKeyedBySegmentAndOtherNames_FollowsTheConfiguration()
    {
        var options = Options();
        options.Pipeline.InputKeyedBySegment = true;
        options.Pipeline.ConsumerGroupId = "sm-prod";
        options.Pipeline.TransactionalIdPrefix = "sm-tx";
        var (plan, _) = AclPlanner.Plan(DemoPolicy(), options, LoadMap(DemoMap()));

        plan!.ServiceOnlyTopics.ShouldBe(["demo.visits", "demo.payments", "sm-prod-dp-state-changelog"]);
        plan.Entries.ShouldNotContain(e => e.Name == "streammasking.repartition" || e.Name == "sm-prod.route");
        plan.Entries.ShouldContain(e => e.ResourceType == AclEntry.Group && e.Name == "sm-prod.mask");
        plan.Entries.ShouldContain(e => e.ResourceType == AclEntry.TransactionalId && e.Name == "sm-tx." && e.Prefixed);
    }

    [Fact]
    public void Plan_CommandOutput_KafkaAclsCommandsGrantExactlyThePlan()
    {
        var mapFile = WriteMap(DemoMap());
        var (exit, output, error) = Invoke(["acl", "plan", TestPolicies.DemoPolicyPath, "--principal-map", mapFile, "--format", "kafka-acls", .. InputArgs]);

        exit.ShouldBe(0, error);
        var reads = new List<(string Principal, string Topic)>();
        foreach (var line in output.Split('\n').Where(l => l.StartsWith("kafka-acls.sh ", StringComparison.Ordinal)))
        {
            line.ShouldContain("--add --allow-principal ");
            var principal = AclLine().Match(line).Groups["principal"].Value;
            var topic = Regex.Match(line, "--topic (\\S+)");
            if (line.Contains("--operation Read", StringComparison.Ordinal) && topic.Success)
            {
                reads.Add((principal, topic.Groups[1].Value));
            }
        }

        reads.Where(r => r.Topic is "demo.visits" or "demo.payments" or "streammasking.repartition" or "streammasking-dp-state-changelog")
            .Select(r => r.Principal).Distinct().ShouldBe([Service]);
        reads.Where(r => r.Principal == "User:analytics-eu").Select(r => r.Topic)
            .ShouldBe(["masked.clinic-a.eu.visits", "masked.clinic-b.eu.visits", "masked.payments", "streammasking.aggregates"], ignoreOrder: true);
        reads.Where(r => r.Principal == "User:billing").Select(r => r.Topic).ShouldBe(["masked.payments"]);
        reads.Where(r => r.Principal == "User:privacy-office").Select(r => r.Topic).ShouldBe(["streammasking.audit"]);
        output.ShouldContain("--group analytics-eu");
        output.ShouldContain("--transactional-id streammasking. --resource-pattern-type prefixed");
    }

    [Fact]
    public void Plan_CommandOutput_StrimziKafkaUsersMatchThePlan()
    {
        var mapFile = WriteMap(DemoMap());
        var (exit, output, error) = Invoke(["acl", "plan", TestPolicies.DemoPolicyPath, "--principal-map", mapFile, "--format", "strimzi", .. InputArgs]);

        exit.ShouldBe(0, error);
        var stream = new YamlStream();
        stream.Load(new StringReader(output));
        var users = stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToDictionary(
            u => ((YamlScalarNode)((YamlMappingNode)u["metadata"])["name"]).Value!,
            u => (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)u["spec"])["authorization"])["acls"]);
        users.Keys.ShouldBe(["streammasking", "analytics-eu", "billing", "privacy-office"], ignoreOrder: true);
        static IEnumerable<string> ReadTopics(YamlSequenceNode acls) => acls.Children.Cast<YamlMappingNode>()
            .Where(a => ((YamlScalarNode)((YamlMappingNode)a["resource"])["type"]).Value == "topic"
                        && ((YamlSequenceNode)a["operations"]).Children.Any(o => ((YamlScalarNode)o).Value == "Read"))
            .Select(a => ((YamlScalarNode)((YamlMappingNode)a["resource"])["name"]).Value!);
        ReadTopics(users["billing"]).ShouldBe(["masked.payments"]);
        ReadTopics(users["streammasking"]).ShouldBe(["demo.visits", "demo.payments", "streammasking.repartition", "streammasking-dp-state-changelog"], ignoreOrder: true);
        output.ShouldContain("type: transactionalId");
        output.ShouldContain("strimzi.io/cluster: my-cluster");
    }

    [Fact]
    public void Plan_UnknownSegment_ExitOneNamingIt()
    {
        var mapFile = WriteMap("""
            service: User:streammasking
            consumers:
              - principal: User:analytics
                segments: [clinic-z.visits]
            """);

        var (exit, output, error) = Invoke(["acl", "plan", TestPolicies.DemoPolicyPath, "--principal-map", mapFile, .. InputArgs]);

        exit.ShouldBe(1);
        output.ShouldBeEmpty();
        error.ShouldContain("segment 'clinic-z.visits' is not in policy demo-1");
    }

    [Fact]
    public void Plan_PolicyWithASharedMaskedTopic_RefusedByTheLoaderSoNoGrantSpansSegments()
    {
        var policyFile = Path.Combine(_directory, "shared.yaml");
        File.WriteAllText(policyFile, """
            version: "shared-1"
            maskedTopic: "masked.all"
            segments:
              - name: eu
                match: { field: region, equals: eu }
                fields: { eventId: keep }
              - name: us
                match: { field: region, equals: us }
                fields: { eventId: keep }
            """);
        var mapFile = WriteMap("""
            service: User:streammasking
            consumers:
              - principal: User:analytics-eu
                segments: [eu]
            """);

        var (exit, _, error) = Invoke(["acl", "plan", policyFile, "--principal-map", mapFile, .. InputArgs]);

        exit.ShouldBe(1);
        error.ShouldContain("maskedTopic: must contain the placeholder {segment}");
    }

    [Fact]
    public void Plan_MaskedTopicIsAnInputTopic_RefusedRatherThanGrantingRawReads()
    {
        var policyFile = Path.Combine(_directory, "collide.yaml");
        File.WriteAllText(policyFile, """
            version: "collide-1"
            maskedTopic: "{segment}"
            segments:
              - name: demo.visits
                match: { field: type, equals: visit }
                fields: { eventId: keep }
            """);
        var mapFile = WriteMap("""
            service: User:streammasking
            consumers:
              - principal: User:analytics
                segments: [demo.visits]
            """);

        var (exit, output, error) = Invoke(["acl", "plan", policyFile, "--principal-map", mapFile, .. InputArgs]);

        exit.ShouldBe(1);
        output.ShouldBeEmpty();
        error.ShouldContain("masked topic demo.visits is also an input, repartition or changelog topic");
    }

    [Fact]
    public void Plan_DeadLetterReadersWithRawPayloads_Refused()
    {
        var mapFile = WriteMap("""
            service: User:streammasking
            deadLetters: [User:oncall]
            """);

        var (exit, _, error) = Invoke(["acl", "plan", TestPolicies.DemoPolicyPath, "--principal-map", mapFile, "--StreamMasking:DeadLetters:IncludeRawPayload=true", .. InputArgs]);

        exit.ShouldBe(1);
        error.ShouldContain("holds raw payloads");
    }

    [Theory]
    [InlineData("service: streammasking\n", "'streammasking' is not a Kafka principal")]
    [InlineData("service: User:sm\nconsumers:\n  - principal: User:*\n    segments: [payments]\n", "'User:*' is not a Kafka principal")]
    [InlineData("service: User:sm\naudit: [User:sm]\n", "must not also be a reader")]
    [InlineData("service: User:sm\nconsumer:\n  - principal: User:a\n", "consumer")]
    public void Plan_BadPrincipalMap_ExitOne(string map, string message)
    {
        var (exit, output, error) = Invoke(["acl", "plan", TestPolicies.DemoPolicyPath, "--principal-map", WriteMap(map), .. InputArgs]);

        exit.ShouldBe(1);
        output.ShouldBeEmpty();
        error.ShouldContain(message);
    }

    [Fact]
    public void Plan_NoInputTopics_ExitOneNamingTheSetting()
    {
        var (exit, _, error) = Invoke(["acl", "plan", TestPolicies.DemoPolicyPath, "--principal-map", WriteMap(DemoMap())]);

        exit.ShouldBe(1);
        error.ShouldContain("StreamMasking:Pipeline:InputTopics");
    }

    private static string DemoMap() => """
        service: User:streammasking
        consumers:
          - principal: User:analytics-eu
            segments: [clinic-a.eu.visits, clinic-b.eu.visits, payments]
            group: analytics-eu
          - principal: User:billing
            segments: [payments]
        aggregates: [User:analytics-eu]
        audit: [User:privacy-office]
        """;

    private static PrivacyPolicy DemoPolicy() => PolicyLoader.LoadFile(TestPolicies.DemoPolicyPath).Policy!;

    private static StreamMaskingOptions Options()
    {
        var options = new StreamMaskingOptions();
        options.Pipeline.InputTopics.AddRange(["demo.visits", "demo.payments"]);
        return options;
    }

    private AclPrincipalMap LoadMap(string yaml)
    {
        var (map, errors) = AclPrincipalMap.Load(WriteMap(yaml));
        errors.ShouldBeEmpty();
        return map!;
    }

    private string WriteMap(string yaml)
    {
        var path = Path.Combine(_directory, $"principals-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [GeneratedRegex("--allow-principal (?<principal>\\S+)")]
    private static partial Regex AclLine();
}
