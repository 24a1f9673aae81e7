using System.Globalization;

namespace StreamMasking.Chaos.Tests;

/// <summary>
/// The topics, names and policy of one application (a consumer group of service instances) over the shared input
/// topic. Two topologies with different prefixes are two independent applications: the chaos run and the
/// uninterrupted reference run it is compared with.
/// </summary>
internal sealed class ChaosTopology
{
    internal static readonly string[] Segments = ["visits", "payments", "notes"];

    internal ChaosTopology(string prefix, string inputTopic)
    {
        Prefix = prefix;
        InputTopic = inputTopic;
    }

    internal string Prefix { get; }

    internal string InputTopic { get; }

    internal string DeadLetterTopic => Prefix + ".dlq";

    internal string AggregatesTopic => Prefix + ".aggregates";

    internal string AuditTopic => Prefix + ".audit";

    internal string RepartitionTopic => Prefix + ".repartition";

    internal IEnumerable<string> MaskedTopics => Segments.Select(s => $"{Prefix}.masked.{s}");

    /// <summary>
    /// The policy: visits (count with a continual total, and a sum; a lifetime cap the run exhausts, so releases
    /// are suppressed), payments (histogram and top-k), notes (no window). Only the masked-topic pattern depends on
    /// the prefix, so both applications release under the same DP content.
    /// </summary>
    internal string PolicyYaml => $$"""
        version: "chaos-1"
        maskedTopic: "{{Prefix}}.masked.{segment}"
        segments:
          - name: visits
            match: { field: type, equals: visit }
            fields:
              key: keep
              seq: keep
              patient.id: tokenize
              cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 1000 } }
            privacyUnit: { field: patient.id, maxEventsPerWindow: 50, overCap: strip-noised-fields }
            window: { size: 10s, grace: 5s }
            budget: { accountant: basic, perWindow: { epsilon: 2 }, lifetime: { epsilon: 30.01 } }
            aggregates:
              - { name: visits, kind: count, epsilon: 0.5, continual: true }
              - { name: cost, kind: sum, field: cost, clamp: { min: 0, max: 1000 }, epsilon: 0.5 }
          - name: payments
            match: { field: type, equals: payment }
            fields:
              key: keep
              seq: keep
              patient.id: tokenize
              method: keep
            privacyUnit: { field: patient.id, maxEventsPerWindow: 100, overCap: strip-noised-fields }
            window: { size: 10s, grace: 5s }
            budget: { accountant: basic, perWindow: { epsilon: 2 }, lifetime: { epsilon: 100000 } }
            aggregates:
              - { name: methods, kind: histogram, field: method, domain: [card, cash, transfer], epsilon: 0.5 }
              - { name: top-method, kind: top-k, field: method, domain: [card, cash, transfer], k: 1, epsilon: 0.5 }
          - name: notes
            match: { field: type, equals: note }
            fields:
              key: keep
              seq: keep
              email: { action: partial, keepLast: 4 }
        """;

    /// <summary>The arguments of <c>streammasking run</c> for one instance of this application.</summary>
    internal string[] RunArguments(string bootstrapServers, string policyFile, string instanceId, string stateDirectory, int httpPort) =>
    [
        "run",
        "--bootstrap-servers", bootstrapServers,
        "--policy", policyFile,
        "--StreamMasking:Pipeline:InputTopics:0=" + InputTopic,
        "--StreamMasking:Pipeline:InstanceId=" + instanceId,
        "--StreamMasking:Pipeline:ConsumerGroupId=" + Prefix,
        "--StreamMasking:Pipeline:TransactionalIdPrefix=" + Prefix,
        "--StreamMasking:Pipeline:RepartitionTopic=" + RepartitionTopic,
        "--StreamMasking:Pipeline:TransactionTimeout=00:00:10",
        "--StreamMasking:Pipeline:OperationTimeout=00:00:08",
        "--StreamMasking:DeadLetters:Topic=" + DeadLetterTopic,
        "--StreamMasking:Aggregates:Topic=" + AggregatesTopic,
        "--StreamMasking:Audit:Topic=" + AuditTopic,
        "--StreamMasking:State:Directory=" + stateDirectory,
        "--StreamMasking:Topics:Partitions=6",
        "--StreamMasking:Kafka:Properties:session.timeout.ms=6000",
        "--StreamMasking:Kafka:Properties:heartbeat.interval.ms=1000",
        "--StreamMasking:Http:Port=" + httpPort.ToString(CultureInfo.InvariantCulture),
    ];
}
