namespace StreamMasking.Privacy.Randomness;

/// <summary>
/// A source of independent, uniformly distributed random bits. Every sampler in the privacy core draws from one,
/// so the quality of the noise (and therefore the privacy guarantee) is exactly the quality of this source.
/// </summary>
/// <remarks>
/// Implementations: <see cref="SecureRandomSource"/> (for fresh noise: AES-256-CTR with fast key erasure seeded by
/// the operating system's CSPRNG, or that CSPRNG itself without AES-NI),
/// <see cref="KeyedRandomSource"/> (a keyed PRF stream, for noise that must be identical when a release is replayed)
/// and <see cref="SeededRandomSource"/> (tests only). Instances are not required to be thread-safe unless documented.
/// </remarks>
public interface IRandomSource
{
    /// <summary>Returns 64 uniformly random bits.</summary>
    ulong NextUInt64();

    /// <summary>Fills <paramref name="destination"/> with uniformly random bytes.</summary>
    void NextBytes(Span<byte> destination);
}
