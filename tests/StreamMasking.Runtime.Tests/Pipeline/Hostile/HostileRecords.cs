using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace StreamMasking.Runtime.Tests.Pipeline.Hostile;

/// <summary>
/// A deterministic stream of hostile input mixed with valid records: random bytes, truncated and deeply nested
/// JSON, duplicate keys, records near the broker's size limit, NaN / +∞ / −∞ / 1e308 / −0, numbers as strings and
/// strings as numbers, invalid UTF-8, lone surrogates, non-object JSON, missing segment fields, timestamps at the
/// epoch, far past and far future, and forged <c>sm-</c> headers.
/// </summary>
internal static class HostileRecords
{
    /// <summary>2024-01-01T00:00:00Z.</summary>
    internal const long T0 = 1_704_067_200_000;

    internal const int Kinds = 26;

    /// <summary>Kinds from here on are valid records with nothing hostile about them.</summary>
    private const int FirstValidKind = 24;

    /// <summary>Whether record <paramref name="i"/> is hostile (malformed, extreme, or with forged headers or timestamps).</summary>
    internal static bool IsHostile(int i) => i % Kinds < FirstValidKind || IsHuge(i);

    private static bool IsHuge(int i) => i % 20_000 == 7;

    internal static Message<byte[]?, byte[]?> Create(int i, Random random)
    {
        var at = T0 + (i * 10L);
        var kind = i % Kinds;
        byte[]? value = kind switch
        {
            0 => RandomBytes(random, random.Next(0, 300)),
            1 => Truncate(Valid(i, at, "visit"), random),
            2 => Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
            3 => Encoding.UTF8.GetBytes(Nested(200)),
            4 => Utf8("{\"type\":\"visit\",\"type\":\"payment\",\"seq\":" + Int(i) + "}"),
            5 => Utf8("{\"type\":\"payment\",\"seq\":" + Int(i) + ",\"amount\":NaN}"),
            6 => Utf8("{\"type\":\"payment\",\"seq\":" + Int(i) + ",\"amount\":1e309,\"method\":\"card\"}"),
            7 => Utf8("{\"type\":\"payment\",\"seq\":" + Int(i) + ",\"amount\":1e308,\"method\":\"card\"}"),
            8 => Utf8("{\"type\":\"payment\",\"seq\":" + Int(i) + ",\"amount\":-0,\"method\":\"cash\"}"),
            9 => Utf8("{\"type\":\"payment\",\"seq\":" + Int(i) + ",\"amount\":\"12.5\",\"method\":\"card\"}"),
            10 => Utf8("{\"type\":\"payment\",\"seq\":" + Int(i) + ",\"amount\":3,\"method\":5}"),
            11 => [.. Utf8("{\"type\":\"visit\",\"patient\":{\"id\":\""), 0xC3, 0x28, 0xFF, .. Utf8("\"}}")],
            12 => Utf8("{\"type\":\"visit\",\"seq\":" + Int(i) + ",\"patient\":{\"id\":\"\\ud800\"},\"cost\":1}"),
            13 => Utf8(random.Next(4) switch { 0 => "null", 1 => "[]", 2 => "42", _ => "\"text\"" }),
            14 => Utf8("{\"seq\":" + Int(i) + ",\"patient\":{\"id\":\"p1\"}}"), // no segment field
            15 => random.Next(2) == 0 ? null : [],
            16 => Utf8("{\"type\":\"visit\",\"seq\":" + Int(i) + ",\"cost\":5}"), // windowed without its unit
            17 => Utf8("{\"type\":\"visit\",\"seq\":" + Int(i) + ",\"patient\":{\"id\":[1,2]},\"cost\":5}"),
            23 => Utf8("{\"type\":\"payment\",\"seq\":" + Int(i) + ",\"amount\":-1e309,\"method\":\"cash\"}"), // −∞
            _ => Valid(i, at, kind % 2 == 0 ? "visit" : "payment"),
        };

        var message = new Message<byte[]?, byte[]?> { Value = value, Timestamp = new Timestamp(Timestamp(kind, i, at, random), TimestampType.CreateTime) };
        if (kind == 18)
        {
            message.Headers = new Headers
            {
                { "sm-segment", Utf8("payments") }, { "sm-source-offset", Utf8("-1") }, { "sm-policy-version", Utf8("forged") },
            };
        }

        if (IsHuge(i))
        {
            // Near the broker's message.max.bytes (1 MiB), still valid.
            message.Value = Utf8("{\"type\":\"payment\",\"seq\":" + Int(i) + ",\"amount\":1,\"method\":\"card\",\"memo\":\"" + new string('x', 900_000) + "\"}");
        }

        return message;
    }

    private static long Timestamp(int kind, int i, long at, Random random) => kind switch
    {
        19 => 0, // the epoch
        20 => 1, // far past
        21 => 253_402_300_799_000, // 9999-12-31
        22 => at + (random.Next(2) == 0 ? 86_400_000L * 365 : -86_400_000L * 365),
        _ => at,
    };

    private static byte[] Valid(int i, long at, string type) => Utf8(type == "visit"
        ? $"{{\"type\":\"visit\",\"seq\":{Int(i)},\"patient\":{{\"id\":\"p{Int(i % 50)}\",\"name\":\"n\"}},\"cost\":{Int(i % 900)}.5,\"kind\":\"{(i % 3 == 0 ? "checkup" : "emergency")}\"}}"
        : $"{{\"type\":\"payment\",\"seq\":{Int(i)},\"patient\":{{\"id\":\"p{Int(i % 50)}\"}},\"amount\":{Int(i % 97)},\"method\":\"{(i % 2 == 0 ? "card" : "cash")}\",\"at\":{at}}}");

    private static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private static byte[] Truncate(byte[] bytes, Random random) => bytes[..random.Next(1, bytes.Length - 1)];

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
