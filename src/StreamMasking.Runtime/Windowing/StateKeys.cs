using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// Every key the windowing state is stored or identified under, in one place: the store keys (one store per input
/// partition), the secret keys derived from the master secret (unit ids, window-release noise), and the names that
/// per-segment state carries for units, sources and owners. Every store key is
/// <c>tag · segment (UTF-8) · 0x00 · suffix</c>, so one segment's entries of one kind form a contiguous range and
/// window indexes (8 bytes big-endian, sign bit flipped) sort in window order. Unit ids are keyed digests, never
/// raw unit values.
/// </summary>
internal static class StateKeys
{
    /// <summary>HKDF info of the window-release noise key.</summary>
    internal const string WindowNoiseKeyInfo = "streammasking/window-noise/v1";

    /// <summary>HKDF info prefix of the per-segment key that turns unit values into opaque state ids; the segment name follows it.</summary>
    internal const string UnitIdKeyInfoPrefix = "streammasking/unit-id/v1/";

    private const int UnitIdBytes = 16;
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
    private const byte WindowEntryTag = (byte)'a';

    /// <summary>The key of every window release's and continual counter's noise: <c>HKDF(master, "streammasking/window-noise/v1")</c>.</summary>
    internal static byte[] WindowNoiseKey(ReadOnlySpan<byte> masterSecret) => Derive(masterSecret, WindowNoiseKeyInfo);

    /// <summary>The per-segment key of <see cref="UnitId"/>: <c>HKDF(master, "streammasking/unit-id/v1/" + segment)</c>.</summary>
    internal static byte[] UnitIdKey(ReadOnlySpan<byte> masterSecret, string segment) => Derive(masterSecret, UnitIdKeyInfoPrefix + segment);

    /// <summary>A unit value as the opaque id state holds: <c>HMAC-SHA256(unit key, UTF-8 of the text)[..16]</c>.</summary>
    internal static byte[] UnitId(ReadOnlySpan<byte> unitKey, string unitText) =>
        HMACSHA256.HashData(unitKey, Encoding.UTF8.GetBytes(unitText))[..UnitIdBytes];

    /// <summary>A unit id as the window engine names it (in engine state and in <see cref="UnitWindows"/> keys).</summary>
    internal static string EngineUnit(byte[] unitId) => Convert.ToBase64String(unitId);

    /// <summary>The window engine's name of a source partition: <c>topic/partition</c>, as engine state persists it.</summary>
    internal static string SourceName(string topic, int partition) =>
        string.Create(CultureInfo.InvariantCulture, $"{topic}/{partition}");

    /// <summary>
    /// The state owner in window-release and counter noise identities: the input partition whose store holds the
    /// segment's DP state, so the same segment counted on two partitions (a topic not partitioned by segment) never
    /// shares noise.
    /// </summary>
    internal static string NoiseOwner(int partition) => partition.ToString(CultureInfo.InvariantCulture);

    /// <summary>The segment's window engine: its header (clock, source progress), the open windows' contributions being <see cref="WindowEntry"/> keys.</summary>
    internal static byte[] Engine(string segment) => Key(EngineTag, segment, []);

    /// <summary>
    /// One unit's contributions to one open window (<c>Core.Windowing.WindowEntry</c>): suffix window index, then 0x00
    /// for the records without a unit or 0x01 and the engine's unit name (UTF-8).
    /// </summary>
    internal static byte[] WindowEntry(string segment, long windowIndex, string? unit)
    {
        var unitBytes = unit is null ? 0 : Encoding.UTF8.GetByteCount(unit);
        var suffix = new byte[8 + 1 + unitBytes];
        BinaryPrimitives.WriteUInt64BigEndian(suffix, (ulong)(windowIndex ^ long.MinValue));
        if (unit is not null)
        {
            suffix[8] = 1;
            Encoding.UTF8.GetBytes(unit, suffix.AsSpan(9));
        }

        return Key(WindowEntryTag, segment, suffix);
    }

    /// <summary>Prefix of the segment's window entries; with <paramref name="windowIndex"/>, of that window's only.</summary>
    internal static byte[] WindowEntryPrefix(string segment, long? windowIndex = null) =>
        Key(WindowEntryTag, segment, windowIndex is { } w ? Index(w) : []);

    /// <summary>The window and unit of a <see cref="WindowEntry"/> key; throws <see cref="FormatException"/> if it is not one.</summary>
    internal static (long Window, string? Unit) WindowEntryOf(byte[] key, string segment)
    {
        var at = 2 + Encoding.UTF8.GetByteCount(segment);
        if (key.Length < at + 9 || key[0] != WindowEntryTag || key[at + 8] > 1 || (key[at + 8] == 0 && key.Length != at + 9))
        {
            throw new FormatException("Not a window-entry key.");
        }

        var window = FromIndex(key.AsSpan(at, 8));
        return (window, key[at + 8] == 1 ? Encoding.UTF8.GetString(key, at + 9, key.Length - at - 9) : null);
    }

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

    private static byte[] Derive(ReadOnlySpan<byte> masterSecret, string info)
    {
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, masterSecret, key, salt: [], info: Encoding.UTF8.GetBytes(info));
        return key;
    }

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
