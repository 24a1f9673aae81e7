namespace StreamMasking.Broker.Groups;

/// <summary>One assignment protocol a member supports, with its opaque subscription metadata.</summary>
internal sealed record GroupProtocol(string Name, byte[] Metadata);
