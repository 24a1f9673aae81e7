using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using StreamMasking.Core.Records;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>
/// <c>"tok_" + base64url(HMAC-SHA256(segment key, UTF-8(canonical text))[0..16])</c>: 26 characters.
/// Canonical text: strings as-is (exact code points, no Unicode normalisation), numbers by exact shortest decimal text,
/// booleans as <c>true</c>/<c>false</c>; so <c>42</c>, <c>42.0</c> and <c>"42"</c> give one token (the JSON type is not
/// part of the MAC input, letting producers that disagree on types still join). Objects and arrays fail.
/// The HMAC instances are per thread (<see cref="SegmentHmac"/>), so concurrent calls are safe.
/// </summary>
internal sealed class TokenizeOperation(SegmentHmac hmac) : FieldOperation
{
    public const string Prefix = "tok_";

    /// <summary>Truncated MAC length: 128 bits, so a collision among n distinct values has probability about n²/2¹²⁹.</summary>
    public const int TokenBytes = 16;

    private const int StackLimit = 256;

    public override bool TryApply(JsonNode value, out JsonNode? result)
    {
        result = null;
        if (!JsonScalars.TryGetText(value, out var text))
        {
            return false;
        }

        result = JsonValue.Create(Token(hmac, text));
        return true;
    }

    internal static string Token(SegmentHmac hmac, string text)
    {
        var byteCount = Encoding.UTF8.GetByteCount(text);
        byte[]? rented = null;
        var buffer = byteCount <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(byteCount));
        try
        {
            var written = Encoding.UTF8.GetBytes(text, buffer);
            return Token(hmac, buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                // The buffer held a sensitive value; clear it before it goes back to the pool.
                CryptographicOperations.ZeroMemory(rented.AsSpan(0, byteCount));
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The token of raw bytes (a record key); for UTF-8 text it equals the token of the text.</summary>
    internal static string Token(SegmentHmac hmac, ReadOnlySpan<byte> bytes)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        hmac.Compute(bytes, mac);
        return Prefix + Base64Url.EncodeToString(mac[..TokenBytes]);
    }
}
