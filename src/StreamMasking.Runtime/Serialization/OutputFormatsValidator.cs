using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Runtime.Serialization;

/// <summary>Checks <c>Aggregates:Format</c> and <c>Audit:Format</c> and the registry an <c>avro</c> format needs.</summary>
internal static class OutputFormatsValidator
{
    internal static IEnumerable<OptionsError> Validate(StreamMaskingOptions options, string root)
    {
        var formats = new[] { ("Aggregates:Format", options.Aggregates.Format), ("Audit:Format", options.Audit.Format) };
        foreach (var (key, format) in formats)
        {
            if (format is not (OutputFormats.Json or OutputFormats.Avro))
            {
                yield return new($"{root}:{key}", "must be json or avro");
            }
            else if (format == OutputFormats.Avro && string.IsNullOrWhiteSpace(options.SchemaRegistry.Url))
            {
                yield return new($"{root}:SchemaRegistry:Url", $"is required: {key} is avro");
            }
        }
    }
}
