using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StreamMasking.Core.Records;

/// <summary>
/// Canonical text of JSON scalars, shared by routing (match operands) and masking (tokenize, partial):
/// a string is itself; a number is its exact shortest decimal text (<c>42.0</c>, <c>4.2e1</c> → <c>42</c>);
/// a boolean is <c>true</c>/<c>false</c>. Objects, arrays and null have no scalar text.
/// </summary>
internal static class JsonScalars
{
    /// <summary>Exponents beyond this are written in scientific form (<c>1e100</c>) to keep canonical text short.</summary>
    private const int MaxPlainExponent = 40;

    public static bool TryGetText(JsonNode? node, out string text)
    {
        text = "";
        if (node is not JsonValue value)
        {
            return false;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                text = GetString(value);
                return true;
            case JsonValueKind.Number:
                text = CanonicalNumber(RawNumber(value));
                return true;
            case JsonValueKind.True:
                text = "true";
                return true;
            case JsonValueKind.False:
                text = "false";
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The string of a value whose kind is String. Parsed values hold a string; values built in code may hold a char,
    /// Guid, DateTime… that only its JSON text turns into a string.
    /// </summary>
    public static string GetString(JsonValue value) =>
        value.TryGetValue<string>(out var s) ? s : JsonNode.Parse(value.ToJsonString())!.GetValue<string>();

    /// <summary>A JSON number as a decimal (false for other kinds and for numbers outside decimal's range).</summary>
    public static bool TryGetDecimal(JsonNode node, out decimal number)
    {
        number = 0;
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        return value.TryGetValue<JsonElement>(out var element)
            ? element.TryGetDecimal(out number)
            : decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>
    /// A JSON number as a finite double (false for other kinds, for NaN/±Infinity built in code, and for numbers that
    /// overflow a double). Numeric strings are not numbers.
    /// </summary>
    public static bool TryGetDouble(JsonNode node, out double number)
    {
        number = 0;
        if (node is not JsonValue value)
        {
            return false;
        }

        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out number) && double.IsFinite(number);
        }

        if (value.TryGetValue(out number))
        {
            return double.IsFinite(number);
        }

        if (value.TryGetValue<float>(out var single))
        {
            number = single;
            return float.IsFinite(single);
        }

        return value.GetValueKind() == JsonValueKind.Number
            && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number)
            && double.IsFinite(number);
    }

    /// <summary>The JSON text of a number value (element-backed values give their source text).</summary>
    public static string RawNumber(JsonValue value) =>
        value.TryGetValue<JsonElement>(out var element) ? element.GetRawText() : value.ToJsonString();

    /// <summary>Canonical decimal text of a decimal (trailing zeros removed; decimal never prints an exponent).</summary>
    public static string CanonicalNumber(decimal value) =>
        value == 0 ? "0" : (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Exact canonical text of a JSON number literal: no leading/trailing zeros, no exponent unless the magnitude is extreme,
    /// no "-0". Works on the digits, so it never rounds.
    /// </summary>
    public static string CanonicalNumber(string raw)
    {
        var span = raw.AsSpan().Trim();
        var negative = span.Length > 0 && span[0] == '-';
        if (negative || (span.Length > 0 && span[0] == '+'))
        {
            span = span[1..];
        }

        var exponent = 0;
        var e = span.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            if (!int.TryParse(span[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
            {
                return raw; // not a JSON number we can normalise; keep its exact text
            }

            span = span[..e];
        }

        var digits = new StringBuilder(span.Length);
        var point = span.IndexOf('.');
        foreach (var c in span)
        {
            if (c != '.')
            {
                digits.Append(c);
            }
        }

        if (point >= 0)
        {
            exponent -= span.Length - point - 1;
        }

        var text = digits.ToString().TrimStart('0');
        if (text.Length == 0)
        {
            return "0";
        }

        var trimmed = text.TrimEnd('0');
        exponent += text.Length - trimmed.Length;
        var sign = negative ? "-" : "";
        if (exponent >= 0 && exponent <= MaxPlainExponent)
        {
            return sign + trimmed + new string('0', exponent);
        }

        if (exponent < 0 && -exponent <= MaxPlainExponent)
        {
            var integerDigits = trimmed.Length + exponent;
            return integerDigits > 0
                ? sign + trimmed[..integerDigits] + "." + trimmed[integerDigits..]
                : sign + "0." + new string('0', -integerDigits) + trimmed;
        }

        var scientificExponent = exponent + trimmed.Length - 1;
        var mantissa = trimmed.Length > 1 ? trimmed[..1] + "." + trimmed[1..] : trimmed;
        return sign + mantissa + "e" + scientificExponent.ToString(CultureInfo.InvariantCulture);
    }
}
