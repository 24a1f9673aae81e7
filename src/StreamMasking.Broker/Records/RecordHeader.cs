namespace StreamMasking.Broker.Records;

/// <summary>A record header: string key, nullable bytes value.</summary>
internal sealed record RecordHeader(string Key, ReadOnlyMemory<byte>? Value);
