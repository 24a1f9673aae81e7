using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace StreamMasking.Host.Commands;

/// <summary>
/// Who is who for <c>acl plan</c>: the service's principal, the consumers of each segment's masked topic, and the
/// readers of the aggregates, audit and dead-letter topics. YAML:
/// <code>
/// service: User:streammasking
/// consumers:
///   - principal: User:analytics-eu
///     segments: [clinic-a.eu.visits]
///     group: analytics-eu        # optional: its consumer group
/// aggregates: [User:dashboards]  # optional
/// audit: [User:privacy-office]   # optional
/// deadLetters: [User:oncall]     # optional
/// </code>
/// Unknown keys are errors, so a typo cannot silently grant nothing (or something else).
/// </summary>
internal sealed class AclPrincipalMap
{
    internal required string Service { get; init; }

    internal required IReadOnlyList<Consumer> Consumers { get; init; }

    internal required IReadOnlyList<string> AggregatesReaders { get; init; }

    internal required IReadOnlyList<string> AuditReaders { get; init; }

    internal required IReadOnlyList<string> DeadLetterReaders { get; init; }

    /// <summary>Loads and checks the file; returns null and the problems when it is not usable.</summary>
    internal static (AclPrincipalMap? Map, IReadOnlyList<string> Errors) Load(string path)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            return (null, [$"{name}: file not found"]);
        }

        Document? doc;
        try
        {
            var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
            doc = deserializer.Deserialize<Document?>(File.ReadAllText(path));
        }
        catch (YamlException e)
        {
            return (null, [$"{name}:{e.Start.Line}:{e.Start.Column}: {e.InnerException?.Message ?? e.Message}"]);
        }

        if (doc is null)
        {
            return (null, [$"{name}: empty principal map"]);
        }

        var errors = new List<string>();
        CheckPrincipal(errors, name, "service", doc.Service);
        var consumers = new List<Consumer>();
        for (var i = 0; i < doc.Consumers.Count; i++)
        {
            var c = doc.Consumers[i];
            CheckPrincipal(errors, name, $"consumers[{i}].principal", c.Principal);
            if (c.Segments.Count == 0)
            {
                errors.Add($"{name}: consumers[{i}].segments: at least one segment is required");
            }

            consumers.Add(new Consumer(c.Principal ?? "", c.Segments, string.IsNullOrWhiteSpace(c.Group) ? null : c.Group));
        }

        foreach (var (key, list) in new[] { ("aggregates", doc.Aggregates), ("audit", doc.Audit), ("deadLetters", doc.DeadLetters) })
        {
            for (var i = 0; i < list.Count; i++)
            {
                CheckPrincipal(errors, name, $"{key}[{i}]", list[i]);
            }
        }

        var readers = consumers.Select(c => c.Principal).Concat(doc.Aggregates).Concat(doc.Audit).Concat(doc.DeadLetters);
        if (readers.Contains(doc.Service, StringComparer.Ordinal))
        {
            errors.Add($"{name}: the service principal {doc.Service} must not also be a reader: give readers their own principals");
        }

        return errors.Count > 0
            ? (null, errors)
            : (new AclPrincipalMap
            {
                Service = doc.Service!,
                Consumers = consumers,
                AggregatesReaders = doc.Aggregates,
                AuditReaders = doc.Audit,
                DeadLetterReaders = doc.DeadLetters,
            }, []);
    }

    private static void CheckPrincipal(List<string> errors, string file, string key, string? principal)
    {
        // Kafka principals are TYPE:NAME (User:alice, User:CN=alice,O=acme); a bare name would match nobody.
        var colon = principal?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (principal is null || colon < 1 || colon == principal.Length - 1 || principal.Any(char.IsWhiteSpace) || principal.Contains('*', StringComparison.Ordinal))
        {
            errors.Add($"{file}: {key}: '{principal}' is not a Kafka principal (TYPE:NAME, e.g. User:alice; no wildcards)");
        }
    }

    /// <summary>A principal reading the masked topics of the listed segments, optionally with its consumer group.</summary>
    internal sealed record Consumer(string Principal, IReadOnlyList<string> Segments, string? Group);

    // YamlDotNet fills these through reflection.
#pragma warning disable CA1812
    private sealed class Document
    {
        public string? Service { get; set; }

        public List<ConsumerDocument> Consumers { get; set; } = [];

        public List<string> Aggregates { get; set; } = [];

        public List<string> Audit { get; set; } = [];

        public List<string> DeadLetters { get; set; } = [];
    }

    private sealed class ConsumerDocument
    {
        public string? Principal { get; set; }

        public List<string> Segments { get; set; } = [];

        public string? Group { get; set; }
    }
#pragma warning restore CA1812
}
