namespace StreamMasking.Broker.Protocol;

/// <summary>
/// A request header (v0: no client id; v1: nullable int16 client id; v2: v1 + tagged fields). The client id is
/// never a compact string, even in v2 (RequestHeader.json: "flexibleVersions": "none").
/// </summary>
internal sealed record RequestHeader(ApiKey ApiKey, short ApiVersion, int CorrelationId, string? ClientId)
{
    /// <summary>Reads api key, version and correlation id (common to every header version).</summary>
    public static (ApiKey Key, short Version, int CorrelationId) ReadPrefix(KafkaReader reader) =>
        ((ApiKey)reader.ReadInt16(), reader.ReadInt16(), reader.ReadInt32());

    /// <summary>Reads the rest of a v1/v2 header after <see cref="ReadPrefix"/>.</summary>
    public static string? ReadClientId(KafkaReader reader, bool headerV2)
    {
        var clientId = reader.ReadNullableString(flexible: false);
        reader.SkipTaggedFields(headerV2);
        return clientId;
    }
}
