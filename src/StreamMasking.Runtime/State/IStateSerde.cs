namespace StreamMasking.Runtime.State;

/// <summary>Turns a state type into the bytes a store keeps and back. Must be deterministic and versioned by the caller.</summary>
internal interface IStateSerde<T>
{
    /// <summary>The bytes of <paramref name="value"/>.</summary>
    byte[] Serialize(T value);

    /// <summary>The value encoded in <paramref name="bytes"/>.</summary>
    T Deserialize(ReadOnlySpan<byte> bytes);
}
