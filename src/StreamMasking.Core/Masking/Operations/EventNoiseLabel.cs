using System.Buffers.Binary;
using System.Globalization;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Records;
using StreamMasking.Privacy.Identity;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>
/// The <see cref="NoiseIdentity"/> of one event's noised field: the mechanism with all its parameters (ε, δ, clamp
/// bounds; categories in order and k for randomized response), the segment's DP content hash, and the record's
/// coordinates (source topic, partition, offset), field path and a keyed digest of the exact input value. The key is
/// the segment's noise key, so the stream is unique per segment, mechanism, record, field and value, and identical
/// on every replay of the same record under the same policy.
/// </summary>
/// <remarks>
/// Why the mechanism: re-masking a record under another ε or clamp (offset reset, blue/green policy versions) must
/// not reuse the random stream, or two outputs solve exactly for the value. Why the value digest: a recreated topic
/// reuses offsets; with the digest, a different value at the same coordinates gets independent noise (the two
/// releases compose like two records), and only the fact that the value is unchanged (identical outputs) remains
/// visible. The digest is part of the (secret) stream label only and never published.
/// </remarks>
internal static class EventNoiseLabel
{
    private const string Purpose = "event-noise";

    /// <summary>The fixed part of a numeric <paramref name="action"/>'s identities (built once per field rule).</summary>
    public static NoiseIdentityPrefix Prefix(NoiseFieldAction action, string contentHash)
    {
        var identity = NoiseIdentity.For(Purpose, action.Name).With("epsilon", action.Epsilon.Value).With("delta", action.Delta.Value);
        switch (action)
        {
            case LaplaceAction l:
                identity.With("clamp", l.Clamp);
                break;
            case GaussianAction g:
                identity.With("clamp", g.Clamp);
                break;
        }

        return identity.Policy(contentHash).Freeze();
    }

    /// <summary>The fixed part of a randomized-response <paramref name="action"/>'s identities (built once per field rule).</summary>
    public static NoiseIdentityPrefix Prefix(RandomizedResponseAction action, string contentHash) =>
        NoiseIdentity.For(Purpose, action.Name)
            .With("epsilon", action.Epsilon.Value)
            .With("k", action.CategoryCount)
            // The category set in canonical order, as the operation indexes it: k-RR is symmetric in its categories.
            .With("categories", action.Categories is { } categories ? [.. categories.Order(StringComparer.Ordinal)] : ["false", "true"])
            .Policy(contentHash)
            .Freeze();

    /// <summary>The stream for a numeric action (its <see cref="Prefix(NoiseFieldAction, string)"/>) on the (already clamped) <paramref name="clampedValue"/>.</summary>
    public static KeyedRandomSource For(NoiseIdentityPrefix prefix, RecordCoordinates coordinates, string fieldPath, double clampedValue,
        ReadOnlySpan<byte> key)
    {
        Span<byte> value = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(value, BitConverter.DoubleToInt64Bits(clampedValue == 0 ? 0.0 : clampedValue));
        return Finish(prefix, coordinates, fieldPath, value, key);
    }

    /// <summary>The stream for randomized response (its <see cref="Prefix(RandomizedResponseAction, string)"/>) on category <paramref name="index"/>.</summary>
    public static KeyedRandomSource For(NoiseIdentityPrefix prefix, RecordCoordinates coordinates, string fieldPath, int index,
        ReadOnlySpan<byte> key)
    {
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(value, index);
        return Finish(prefix, coordinates, fieldPath, value, key);
    }

    private static KeyedRandomSource Finish(NoiseIdentityPrefix prefix, RecordCoordinates coordinates, string fieldPath,
        ReadOnlySpan<byte> value, ReadOnlySpan<byte> key)
    {
        var topic = coordinates.Topic;
        var partition = coordinates.Partition.ToString(CultureInfo.InvariantCulture);
        var offset = coordinates.Offset.ToString(CultureInfo.InvariantCulture);

        // The digest is computed before the value coordinate is added, under the identity of the record and field.
        var digest = Convert.ToHexStringLower(prefix.Digest(key, value, "topic", topic, "partition", partition, "offset", offset, "field", fieldPath));
        return prefix.Stream(key, "topic", topic, "partition", partition, "offset", offset, "field", fieldPath, "value", digest);
    }
}
