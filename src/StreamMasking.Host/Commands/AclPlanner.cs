using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Host.Commands;

/// <summary>
/// Derives the least-privilege ACLs from the policy (its masked topics), the service configuration (inputs,
/// internal and output topics, group and transactional ids) and the principal map. Kafka denies what no ACL allows
/// (<c>allow.everyone.if.no.acl.found=false</c>), so the raw input, repartition and changelog topics end up
/// readable by the service alone.
/// </summary>
internal static class AclPlanner
{
    // The windowing stage's state store and Kafka Streams' changelog naming (Runtime's ChangelogTopics.NameFor):
    // <applicationId>-<store>-changelog, the application id being the consumer group id stem.
    private const string StateStoreName = "dp-state";

    private static readonly string[] Consume = ["Read", "Describe"];

    /// <summary>The plan, or the reasons it cannot be made safely (nothing is granted on a doubt).</summary>
    internal static (AclPlan? Plan, IReadOnlyList<string> Errors) Plan(PrivacyPolicy policy, StreamMaskingOptions options, AclPrincipalMap map)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(map);
        var errors = CheckReaders(policy, options, map);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var p = options.Pipeline;
        var provision = options.Topics.Provision;
        var service = map.Service;
        var entries = new List<AclEntry>();
        void Add(string principal, string type, string name, bool prefixed, params string[] operations) =>
            entries.Add(new AclEntry(principal, type, name, prefixed, operations));
        string[] Produce(bool create) => create ? ["Write", "Describe", "Create"] : ["Write", "Describe"];
        string[] ReadWrite(bool create) => create ? ["Read", "Write", "Describe", "Create"] : ["Read", "Write", "Describe"];

        foreach (var input in p.InputTopics.Distinct(StringComparer.Ordinal))
        {
            Add(service, AclEntry.Topic, input, false, options.Topics.ProvisionInputTopics ? ["Read", "Describe", "Create"] : Consume);
        }

        var serviceOnly = p.InputTopics.Distinct(StringComparer.Ordinal).ToList();
        if (!p.InputKeyedBySegment)
        {
            Add(service, AclEntry.Topic, p.RepartitionTopic, false, ReadWrite(provision));
            serviceOnly.Add(p.RepartitionTopic);
        }

        var changelog = $"{p.ConsumerGroupId}-{StateStoreName}-changelog";
        // The stores create their changelog topic themselves, whatever Topics:Provision says.
        Add(service, AclEntry.Topic, changelog, false, ReadWrite(create: true));
        serviceOnly.Add(changelog);

        foreach (var masked in MaskedTopics(policy))
        {
            Add(service, AclEntry.Topic, masked, false, Produce(provision));
        }

        Add(service, AclEntry.Topic, options.DeadLetters.Topic, false, Produce(provision));
        Add(service, AclEntry.Topic, options.Aggregates.Topic, false, Produce(provision));
        Add(service, AclEntry.Topic, options.Audit.Topic, false, Produce(provision));
        if (!p.InputKeyedBySegment)
        {
            Add(service, AclEntry.Group, $"{p.ConsumerGroupId}.route", false, Consume);
        }

        Add(service, AclEntry.Group, $"{p.ConsumerGroupId}.mask", false, Consume);
        // Transactional ids are {prefix}.{stage}.{InstanceId}, with ".{thread}" for stream threads 1 and up: one prefix
        // ACL covers every instance, stage and thread.
        Add(service, AclEntry.TransactionalId, $"{p.TransactionalIdPrefix}.", true, "Write", "Describe");
        // Idempotent (transactional) producers on brokers before Kafka 3.0 also need IdempotentWrite on the cluster.
        Add(service, AclEntry.Cluster, "kafka-cluster", false, "IdempotentWrite");

        foreach (var consumer in map.Consumers)
        {
            foreach (var topic in consumer.Segments.Select(s => policy.FindSegment(s)!.MaskedTopic).Distinct(StringComparer.Ordinal))
            {
                Add(consumer.Principal, AclEntry.Topic, topic, false, Consume);
            }

            if (consumer.Group is { } group)
            {
                Add(consumer.Principal, AclEntry.Group, group, false, Consume);
            }
        }

        foreach (var (topic, readers) in new[]
                 {
                     (options.Aggregates.Topic, map.AggregatesReaders), (options.Audit.Topic, map.AuditReaders),
                     (options.DeadLetters.Topic, map.DeadLetterReaders),
                 })
        {
            foreach (var reader in readers.Distinct(StringComparer.Ordinal))
            {
                Add(reader, AclEntry.Topic, topic, false, Consume);
            }
        }

        return (new AclPlan(policy.Version, service, entries, serviceOnly), []);
    }

    private static IEnumerable<string> MaskedTopics(PrivacyPolicy policy) =>
        policy.Segments.Select(s => s.MaskedTopic).Distinct(StringComparer.Ordinal);

    private static List<string> CheckReaders(PrivacyPolicy policy, StreamMaskingOptions options, AclPrincipalMap map)
    {
        var errors = new List<string>();
        if (options.Pipeline.InputTopics.Count == 0)
        {
            errors.Add($"{StreamMaskingOptions.SectionName}:Pipeline:InputTopics: at least one input topic is required");
        }

        foreach (var consumer in map.Consumers)
        {
            foreach (var name in consumer.Segments)
            {
                // Granting a segment grants its masked topic. That carries this segment alone: the policy loader
                // requires {segment} in the topic pattern, so no two segments share a masked topic.
                if (policy.FindSegment(name) is null)
                {
                    errors.Add($"consumer {consumer.Principal}: segment '{name}' is not in policy {policy.Version}");
                }
            }
        }

        var p = options.Pipeline;
        var raw = new HashSet<string>(p.InputTopics, StringComparer.Ordinal) { $"{p.ConsumerGroupId}-{StateStoreName}-changelog" };
        if (!p.InputKeyedBySegment)
        {
            raw.Add(p.RepartitionTopic);
        }

        foreach (var segment in policy.Segments.Where(s => raw.Contains(s.MaskedTopic)))
        {
            errors.Add($"segment '{segment.Name}': masked topic {segment.MaskedTopic} is also an input, repartition or changelog topic");
        }

        if (map.DeadLetterReaders.Count > 0 && options.DeadLetters.IncludeRawPayload)
        {
            errors.Add($"deadLetters: {options.DeadLetters.Topic} holds raw payloads ({StreamMaskingOptions.SectionName}:DeadLetters:IncludeRawPayload=true); "
                       + "only the service may read it");
        }

        return errors;
    }
}
