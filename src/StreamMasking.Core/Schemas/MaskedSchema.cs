using Avro;

namespace StreamMasking.Core.Schemas;

/// <summary>
/// The Avro schema of one segment's masked records, derived by <see cref="MaskedSchemaDeriver"/> from a writer schema
/// and the segment's field rules, with what the derivation noticed on the way.
/// </summary>
/// <param name="Schema">The masked record schema (parsed, so it is valid Avro).</param>
/// <param name="Json">The schema as canonical, indented JSON text (the text registered and stored in golden files).</param>
/// <param name="UnnamedFields">Writer fields the policy does not name, as dotted paths: removed from the output.</param>
/// <param name="MissingFields">Policy paths the writer schema does not have: absent from the output.</param>
public sealed record MaskedSchema(
    RecordSchema Schema, string Json, IReadOnlyList<string> UnnamedFields, IReadOnlyList<string> MissingFields);
