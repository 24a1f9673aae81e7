using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Records;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>
/// Truncates dates in UTC. Accepted values: an ISO 8601 date (<c>2024-03-15</c> → date out), an ISO 8601 date-time with
/// <c>Z</c>, an offset, or no zone (taken as UTC) (→ <c>yyyy-MM-ddTHH:mm:ssZ</c> out), or an integer number of Unix epoch
/// milliseconds (→ epoch milliseconds out). A date-time is first converted to UTC, so 2024-03-15T23:30-05:00 truncated to
/// day is 2024-03-16T00:00:00Z. Anything else fails.
/// </summary>
internal sealed class DateTruncateOperation(DateTruncation unit) : FieldOperation
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd' 'HH:mm:ss.FFFFFFFK",
    ];

    public override bool TryApply(JsonNode value, out JsonNode? result)
    {
        result = null;
        if (value is not JsonValue scalar)
        {
            return false;
        }

        switch (scalar.GetValueKind())
        {
            case JsonValueKind.String:
                return TryTruncateText(JsonScalars.GetString(scalar), out result);
            case JsonValueKind.Number when scalar.TryGetValue<long>(out var millis) || TryGetIntegral(scalar, out millis):
                if (millis < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || millis > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                {
                    return false;
                }

                result = JsonValue.Create(Truncate(DateTimeOffset.FromUnixTimeMilliseconds(millis)).ToUnixTimeMilliseconds());
                return true;
            default:
                return false;
        }
    }

    private bool TryTruncateText(string text, out JsonNode? result)
    {
        result = null;
        if (text.Length == 10
            && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var truncated = unit switch
            {
                DateTruncation.Year => new DateOnly(date.Year, 1, 1),
                DateTruncation.Month => new DateOnly(date.Year, date.Month, 1),
                _ => date,
            };
            result = JsonValue.Create(truncated.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            return true;
        }

        if (!DateTimeOffset.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return false;
        }

        result = JsonValue.Create(Truncate(instant).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        return true;
    }

    private DateTimeOffset Truncate(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return unit switch
        {
            DateTruncation.Year => new DateTimeOffset(utc.Year, 1, 1, 0, 0, 0, TimeSpan.Zero),
            DateTruncation.Month => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            DateTruncation.Day => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            _ => new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero),
        };
    }

    private static bool TryGetIntegral(JsonValue value, out long millis)
    {
        millis = 0;
        return value.TryGetValue<JsonElement>(out var element) && element.TryGetInt64(out millis);
    }
}
