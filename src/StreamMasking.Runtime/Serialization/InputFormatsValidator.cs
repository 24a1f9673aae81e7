using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Runtime.Serialization;

/// <summary>Checks <c>Pipeline:InputFormats</c> and the <c>SchemaRegistry</c> settings they need.</summary>
internal static class InputFormatsValidator
{
    internal static readonly IReadOnlyDictionary<string, InputFormat> Names = new Dictionary<string, InputFormat>(StringComparer.Ordinal)
    {
        ["json"] = InputFormat.Json,
        ["avro-confluent"] = InputFormat.AvroConfluent,
        ["avro-single-object"] = InputFormat.AvroSingleObject,
    };

    internal static IEnumerable<OptionsError> Validate(StreamMaskingOptions options, string root)
    {
        var p = options.Pipeline;
        var r = options.SchemaRegistry;
        foreach (var (topic, name) in p.InputFormats)
        {
            var key = $"{root}:Pipeline:InputFormats:{topic}";
            if (!p.InputTopics.Contains(topic, StringComparer.Ordinal))
            {
                yield return new(key, "names a topic that is not in Pipeline:InputTopics");
            }

            if (!Names.TryGetValue(name ?? "", out var format))
            {
                yield return new(key, "must be json, avro-confluent or avro-single-object");
            }
            else if (format == InputFormat.AvroConfluent && string.IsNullOrWhiteSpace(r.Url))
            {
                yield return new($"{root}:SchemaRegistry:Url", $"is required: input topic '{topic}' is avro-confluent");
            }
            else if (format == InputFormat.AvroSingleObject && !Directory.Exists(r.LocalSchemaDirectory))
            {
                yield return new($"{root}:SchemaRegistry:LocalSchemaDirectory", $"must be an existing directory: input topic '{topic}' is avro-single-object");
            }
        }

        if (!string.IsNullOrEmpty(r.BasicAuth) && !string.IsNullOrEmpty(r.BearerToken))
        {
            yield return new($"{root}:SchemaRegistry:BearerToken", "set BasicAuth or BearerToken, not both");
        }

        if (!string.IsNullOrEmpty(r.BasicAuth) && !r.BasicAuth.Contains(':', StringComparison.Ordinal))
        {
            yield return new($"{root}:SchemaRegistry:BasicAuth", "must be user:password");
        }

        if (!string.IsNullOrEmpty(r.SslCaLocation) && !File.Exists(r.SslCaLocation))
        {
            yield return new($"{root}:SchemaRegistry:SslCaLocation", "file not found");
        }

        if (r.MaxAttempts is < 1 or > 100)
        {
            yield return new($"{root}:SchemaRegistry:MaxAttempts", "must be between 1 and 100");
        }

        if (r.RequestTimeout < TimeSpan.FromMilliseconds(100) || r.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            yield return new($"{root}:SchemaRegistry:RequestTimeout", "must be between 00:00:00.100 and 00:05:00");
        }
    }
}
