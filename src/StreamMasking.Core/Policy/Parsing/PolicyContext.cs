using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Yaml;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>A schema field declaration: <c>schema.fields</c> entry with its tags.</summary>
internal sealed record SchemaField(FieldPath Path, IReadOnlyList<string> Tags, YNode Node);

/// <summary>What segment parsing needs from the policy's top level.</summary>
internal sealed record PolicyContext(
    PolicyDiagnosticBag Bag,
    PolicyDefaults Defaults,
    string MaskedTopicPattern,
    IReadOnlyList<SchemaField> Schema,
    IReadOnlyDictionary<string, FieldAction> TagActions);
