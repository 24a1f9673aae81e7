using System.Text;

namespace StreamMasking.Runtime.Tests.State;

/// <summary>Short helpers to write readable byte keys and values in tests.</summary>
internal static class Bytes
{
    internal static byte[] Of(string text) => Encoding.UTF8.GetBytes(text);

    internal static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    internal static List<(string Key, string Value)> Texts(IEnumerable<KeyValuePair<byte[], byte[]>> entries) =>
        entries.Select(e => (Text(e.Key)!, Text(e.Value)!)).ToList();

    internal static List<string> Hex(IEnumerable<KeyValuePair<byte[], byte[]>> entries) =>
        entries.Select(e => $"{Convert.ToHexString(e.Key)}={Convert.ToHexString(e.Value)}").ToList();
}
