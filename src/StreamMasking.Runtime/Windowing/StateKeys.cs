using System.Buffers.Binary;
using System.Text;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// Keys of the windowing state store (one store per input partition). Every key is
/// <c>tag · segment (UTF-8) · 0x00 · suffix</c>, so one segment's entries of one kind form a contiguous range and
/// window indexes (8 bytes big-endian, sign bit flipped) sort in window order. Unit ids are keyed digests, never
/// raw unit values.
/// </summary>
internal static class StateKeys
{
    private const byte EngineTag = (byte)'w';
    private const byte SealedTag = (byte)'s';
    private const byte LedgerTag = (byte)'l';
    private const byte ContinualTag = (byte)'c';
    private const byte CapClockTag = (byte)'k';
    private const byte CapCountTag = (byte)'n';
    private const byte HighWaterTag = (byte)'h';
    private const byte UnitWindowsTag = (byte)'u';
    private const byte OwnerTag = (byte)'o';
    private const byte ContinualStartedTag = (byte)'C';
    private const byte UnitLifetimeTag = (byte)'e';
    private const byte UnitLifetimeStartedTag = (byte)'E';

    /// <summary>The segment's window engine.</summary>
    internal static byte[] Engine(string segment) => Key(EngineTag, segment, []);

    /// <summary>A sealed, not yet released window.</summary>
    internal static byte[] Sealed(string segment, long windowIndex) => Key(SealedTag, segment, Index(windowIndex));

    /// <summary>Prefix of every sealed window of the segment.</summary>
    internal static byte[] SealedPrefix(string segment) => Key(SealedTag, segment, []);

    /// <summary>The window index of a sealed-window key.</summary>
    internal static long SealedIndexOf(byte[] key) => FromIndex(key.AsSpan(key.Length - 8));

    /// <summary>The segment's budget ledger.</summary>
    internal static byte[] Ledger(string segment) => Key(LedgerTag, segment, []);

    /// <summary>The segment's continual counters.</summary>
    internal static byte[] Continual(string segment) => Key(ContinualTag, segment, []);

    /// <summary>
    /// Marker that a continual counter of the segment has started, kept apart from <see cref="Continual"/> so that losing
    /// the counter state is detected (and refused) instead of restarting a counter under an identity already used.
    /// </summary>
    internal static byte[] ContinualStarted(string segment) => Key(ContinualStartedTag, segment, []);

    /// <summary>What one unit has spent on event-level noise over its lifetime (a <c>UnitLifetimeAccount</c>).</summary>
    internal static byte[] UnitLifetime(string segment, ReadOnlySpan<byte> unitId) => Key(UnitLifetimeTag, segment, unitId);

    /// <summary>
    /// Marker that the segment's lifetime ledger exists on this partition, written with the segment's first state, so
    /// that a ledger lost while the rest of the state survives is detected (and every unit withheld), not restarted.
    /// </summary>
    internal static byte[] UnitLifetimeStarted(string segment) => Key(UnitLifetimeStartedTag, segment, []);

    /// <summary>Stream time of a segment that caps units but declares no aggregates.</summary>
    internal static byte[] CapClock(string segment) => Key(CapClockTag, segment, []);

    /// <summary>Events of one unit in one window (the per-unit cap).</summary>
    internal static byte[] CapCount(string segment, long windowIndex, ReadOnlySpan<byte> unitId)
    {
        var suffix = new byte[8 + unitId.Length];
        BinaryPrimitives.WriteUInt64BigEndian(suffix, (ulong)(windowIndex ^ long.MinValue));
        unitId.CopyTo(suffix.AsSpan(8));
        return Key(CapCountTag, segment, suffix);
    }

    /// <summary>Prefix of the segment's cap counters; with <paramref name="windowIndex"/>, the first key of that window.</summary>
    internal static byte[] CapCountFrom(string segment, long? windowIndex) =>
        Key(CapCountTag, segment, windowIndex is { } w ? Index(w) : []);

    /// <summary>Highest source offset of <paramref name="topic"/>[<paramref name="partition"/>] processed for the segment.</summary>
    internal static byte[] HighWater(string segment, string topic, int partition)
    {
        var topicBytes = Encoding.UTF8.GetBytes(topic);
        var suffix = new byte[topicBytes.Length + 1 + 4];
        topicBytes.CopyTo(suffix, 0);
        BinaryPrimitives.WriteInt32BigEndian(suffix.AsSpan(topicBytes.Length + 1), partition);
        return Key(HighWaterTag, segment, suffix);
    }

    /// <summary>Windows a unit has fed a continual aggregate under one spec content hash.</summary>
    internal static byte[] UnitWindows(string segment, string contentHash, string aggregate, string unit) =>
        Key(UnitWindowsTag, segment, Encoding.UTF8.GetBytes(contentHash + "\0" + aggregate + "\0" + unit));

    /// <summary>Who owns the segment's state (topic, partition, partition count): see <c>OwnershipRecord</c>.</summary>
    internal static byte[] Owner(string segment) => Key(OwnerTag, segment, []);

    /// <summary>Prefix of every ownership record of the store.</summary>
    internal static byte[] OwnerPrefix() => [OwnerTag];

    /// <summary>The segment of a key (the UTF-8 between the tag and the 0x00 separator).</summary>
    internal static string SegmentOf(byte[] key)
    {
        var end = Array.IndexOf(key, (byte)0, 1);
        return Encoding.UTF8.GetString(key, 1, (end < 0 ? key.Length : end) - 1);
    }

    internal static byte[] Long(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    internal static long ReadLong(byte[] bytes) =>
        bytes.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(bytes) : throw new FormatException("An 8-byte value was expected.");

    private static byte[] Index(long windowIndex)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)(windowIndex ^ long.MinValue));
        return bytes;
    }

    private static long FromIndex(ReadOnlySpan<byte> bytes) => (long)BinaryPrimitives.ReadUInt64BigEndian(bytes) ^ long.MinValue;

    private static byte[] Key(byte tag, string segment, ReadOnlySpan<byte> suffix)
    {
        var count = Encoding.UTF8.GetByteCount(segment);
        var key = new byte[1 + count + 1 + suffix.Length];
        key[0] = tag;
        Encoding.UTF8.GetBytes(segment, key.AsSpan(1));
        key[1 + count] = 0;
        suffix.CopyTo(key.AsSpan(2 + count));
        return key;
    }
}
