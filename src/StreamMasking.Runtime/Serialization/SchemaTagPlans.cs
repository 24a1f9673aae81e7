using System.Collections.Concurrent;
using Avro;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Schemas;

namespace StreamMasking.Runtime.Serialization;

/// <summary>
/// The policy and masker to use for records of one Avro writer schema: the configured ones when the schema tags
/// nothing, else the policy with the schema's tag-selected fields added (<see cref="SchemaTagRules"/>) and a masker
/// compiled for it, once per writer schema (by parsing-form fingerprint) for the life of the process.
/// </summary>
internal sealed class SchemaTagPlans(PrivacyPolicy policy, RecordMasker masker, TokenKeyring keyring, ILogger logger) : IDisposable
{
    private readonly ConcurrentDictionary<long, Lazy<Plan>> _plans = new();
    private readonly Plan _untagged = new(policy, masker, new Dictionary<string, string>(), Owned: false);

    /// <summary>Rules for the records of one writer schema; <paramref name="Refused"/> maps segment names to why they refuse it.</summary>
    internal sealed record Plan(PrivacyPolicy Policy, RecordMasker Masker, IReadOnlyDictionary<string, string> Refused, bool Owned);

    /// <summary>The plan for <paramref name="writer"/> (the configured policy for JSON input, which has no writer schema).</summary>
    internal Plan For(Schema? writer) => writer is not RecordSchema record
        ? _untagged
        : _plans.GetOrAdd(SchemaNormalization.ParsingFingerprint64(record), _ => new Lazy<Plan>(() => Build(record))).Value;

    private Plan Build(RecordSchema writer)
    {
        PrivacyPolicy resolved;
        IReadOnlyDictionary<string, string> refused;
        try
        {
            (resolved, refused) = SchemaTagRules.Apply(policy, writer);
        }
        catch (SchemaParseException e)
        {
            // Tags that cannot be read: no segment can tell what the schema protects.
            refused = policy.Segments.ToDictionary(s => s.Name, _ => e.Message, StringComparer.Ordinal);
            resolved = policy;
        }

        foreach (var (segment, reason) in refused)
        {
            logger.SchemaTagsRefused(segment, writer.Fullname, reason);
        }

        if (ReferenceEquals(resolved, policy))
        {
            return _untagged with { Refused = refused };
        }

        var added = resolved.Segments.Sum(s => s.Fields.Count) - policy.Segments.Sum(s => s.Fields.Count);
        logger.SchemaTagsApplied(writer.Fullname, added);
        return new Plan(resolved, new RecordMasker(resolved, keyring), refused, Owned: true);
    }

    /// <summary>Disposes the maskers compiled for tagged schemas (not the configured one).</summary>
    public void Dispose()
    {
        foreach (var plan in _plans.Values.Where(p => p.IsValueCreated && p.Value.Owned))
        {
            plan.Value.Masker.Dispose();
        }
    }
}
