using System.Text.Json.Serialization;

namespace StreamMasking.Broker.Groups.Persistence;

/// <summary>Source-generated JSON metadata for the coordinator journals.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GroupJournalRecord))]
[JsonSerializable(typeof(Transactions.TransactionJournalRecord))]
internal sealed partial class CoordinatorJsonContext : JsonSerializerContext;
