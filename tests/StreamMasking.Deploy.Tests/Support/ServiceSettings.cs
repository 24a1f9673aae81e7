using System.Collections;
using System.Reflection;
using Confluent.Kafka;
using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Deploy.Tests.Support;

/// <summary>
/// The service's real settings, read from the options classes by reflection, so a deployment file naming a setting
/// that does not exist (a typo, a renamed option) fails its test.
/// </summary>
internal static class ServiceSettings
{
    private const string Prefix = "STREAMMASKING__";

    /// <summary>
    /// Settings of the operations contract that live outside <see cref="StreamMaskingOptions"/> until the HTTP and
    /// metrics options are bound there: the HTTP port and bind address, and the segment label cap.
    /// </summary>
    private static readonly string[] ContractSettings = ["Http:Port", "Http:BindAddress", "Metrics:MaxSegmentLabels"];

    /// <summary>Environment variables the service reads that are not <c>STREAMMASKING__</c> settings.</summary>
    private static readonly string[] OtherVariables = ["KAFKA_BOOTSTRAP_SERVERS", new SecretOptions().MasterSecretEnvironmentVariable];

    /// <summary>Whether the environment variable is a setting of the service (or a .NET runtime switch).</summary>
    internal static bool IsRealEnvironmentVariable(string name, out string why)
    {
        why = "";
        if (name.StartsWith("DOTNET_", StringComparison.Ordinal) || OtherVariables.Contains(name, StringComparer.Ordinal))
        {
            return true;
        }

        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            why = $"{name} is not a StreamMasking setting (STREAMMASKING__SECTION__KEY), a DOTNET_ switch or a variable the service reads";
            return false;
        }

        var path = name[Prefix.Length..].Split("__");
        if (ContractSettings.Any(c => c.Split(':').SequenceEqual(path, StringComparer.OrdinalIgnoreCase)))
        {
            return true;
        }

        if (path.Length > 2 && path[0].Equals("KAFKA", StringComparison.OrdinalIgnoreCase) && path[1].Equals("PROPERTIES", StringComparison.OrdinalIgnoreCase))
        {
            return IsKafkaProperty(string.Join("__", path[2..]), out why);
        }

        var type = typeof(StreamMaskingOptions);
        for (var i = 0; i < path.Length; i++)
        {
            var property = type.GetProperty(path[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                why = $"{name}: {type.Name} has no setting {path[i]}";
                return false;
            }

            type = property.PropertyType;
            if (typeof(IDictionary).IsAssignableFrom(type))
            {
                // A map setting takes one key: STREAMMASKING__PIPELINE__INPUTFORMATS__visits.raw.
                var keyed = i == path.Length - 2 && path[^1].Length > 0;
                why = keyed ? "" : $"{name}: a map setting needs exactly one key";
                return keyed;
            }

            if (type != typeof(string) && typeof(IList).IsAssignableFrom(type))
            {
                // A list setting takes an index: STREAMMASKING__PIPELINE__INPUTTOPICS__0.
                var indexed = i == path.Length - 2 && int.TryParse(path[^1], out var index) && index >= 0;
                why = indexed ? "" : $"{name}: a list setting needs exactly one numeric index";
                return indexed;
            }
        }

        var leaf = Nullable.GetUnderlyingType(type) ?? type;
        var isLeaf = leaf.IsPrimitive || leaf.IsEnum || leaf == typeof(string) || leaf == typeof(TimeSpan);
        why = isLeaf ? "" : $"{name} names a section, not a setting";
        return isLeaf;
    }

    /// <summary>A librdkafka property (as the service normalises it) that the pipeline does not manage itself.</summary>
    private static bool IsKafkaProperty(string environmentKey, out string why)
    {
        var key = environmentKey.ToLowerInvariant().Replace('_', '.');
        var options = new StreamMaskingOptions();
        options.Kafka.Properties[key] = "x";
        var rejected = StreamMaskingOptionsValidator.Validate(options, requireBootstrapServers: false)
            .Where(e => e.Key.StartsWith("StreamMasking:Kafka:Properties", StringComparison.Ordinal)).ToList();
        if (rejected.Count > 0)
        {
            why = $"{key}: {rejected[0].Message}";
            return false;
        }

        why = LibrdkafkaNames.Value.Contains(key) ? "" : $"{key} is not a librdkafka property";
        return why.Length == 0;
    }

    /// <summary>Every librdkafka property name Confluent.Kafka's typed configurations know.</summary>
    private static readonly Lazy<HashSet<string>> LibrdkafkaNames = new(() =>
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var config in new ClientConfig[] { new ProducerConfig(), new ConsumerConfig(), new AdminClientConfig() })
        {
            foreach (var property in config.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!property.CanWrite || property.GetIndexParameters().Length > 0)
                {
                    continue;
                }

                var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                object? value = type == typeof(string) ? "x" : type.IsValueType ? Activator.CreateInstance(type) : null;
                if (value is not null)
                {
                    property.SetValue(config, value);
                }
            }

            foreach (var (name, _) in config)
            {
                names.Add(name);
            }
        }

        return names;
    });
}
