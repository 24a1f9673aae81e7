namespace StreamMasking.Runtime.Configuration;

/// <summary>
/// The librdkafka pass-through properties: normalisation of environment-style keys and the keys the pipeline owns.
/// </summary>
internal static class KafkaProperties
{
    /// <summary>
    /// Properties that carry the pipeline's guarantees (transactions, read_committed, manual offsets) or that have
    /// their own option; overriding them through the pass-through could silently break exactly-once.
    /// </summary>
    internal static readonly IReadOnlySet<string> Managed = new HashSet<string>(StringComparer.Ordinal)
    {
        "bootstrap.servers", "metadata.broker.list", "client.id", "group.id", "group.instance.id",
        "transactional.id", "enable.idempotence", "enable.auto.commit", "enable.auto.offset.store",
        "isolation.level", "transaction.timeout.ms", "enable.partition.eof",
    };

    /// <summary>
    /// Normalises a key: keys without dots (environment variables cannot hold dots portably) are lower-cased and
    /// their underscores become dots, so <c>SASL_MECHANISM</c> means <c>sasl.mechanism</c>.
    /// </summary>
    internal static string NormalizeKey(string key)
    {
        var trimmed = key.Trim();
        return trimmed.Contains('.', StringComparison.Ordinal)
            ? trimmed
            : trimmed.ToLowerInvariant().Replace('_', '.');
    }

    /// <summary>The pass-through properties with normalised keys (later duplicates win).</summary>
    internal static Dictionary<string, string> Normalize(IReadOnlyDictionary<string, string> properties)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in properties)
        {
            result[NormalizeKey(key)] = value;
        }

        return result;
    }

    /// <summary>Rejects empty and managed keys; librdkafka itself checks names and values in <see cref="KafkaPropertyValidator"/>.</summary>
    internal static IEnumerable<OptionsError> ValidateKeys(IReadOnlyDictionary<string, string> properties, string sectionKey)
    {
        foreach (var (key, value) in properties)
        {
            var normalized = NormalizeKey(key);
            if (normalized.Length == 0)
            {
                yield return new OptionsError(sectionKey, "contains an empty property name");
            }
            else if (Managed.Contains(normalized))
            {
                yield return new OptionsError($"{sectionKey}:{key}", $"'{normalized}' is managed by StreamMasking and cannot be overridden");
            }
            else if (value is null)
            {
                yield return new OptionsError($"{sectionKey}:{key}", "has no value");
            }
        }
    }
}
