using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Avro;

namespace StreamMasking.Core.Schemas;

/// <summary>Avro logical types to and from the text the masking actions read (dates and instants as ISO-8601).</summary>
internal static class AvroLogicalValues
{
    private const string TimestampMillis = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private const string TimestampMicros = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static JsonNode? Read(ref AvroBinaryReader reader, LogicalSchema schema, string path)
    {
        var name = schema.LogicalTypeName;
        switch (name)
        {
            case "date":
                return Text(Date(reader.ReadInt(path), path).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case "timestamp-millis":
                return Text(Instant(reader.ReadLong(path), TimeSpan.TicksPerMillisecond, path).ToString(TimestampMillis, CultureInfo.InvariantCulture));
            case "timestamp-micros":
                return Text(Instant(reader.ReadLong(path), TimeSpan.TicksPerMicrosecond, path).ToString(TimestampMicros, CultureInfo.InvariantCulture));
            case "time-millis":
                return Text(TimeOfDay(reader.ReadInt(path) * TimeSpan.TicksPerMillisecond, path).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture));
            case "time-micros":
                return Text(TimeOfDay(reader.ReadLong(path), path, micros: true).ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
            case "decimal":
                var raw = schema.BaseSchema is FixedSchema f ? reader.ReadRaw(f.Size, path) : reader.ReadBytes(path);
                return Text(DecimalText(raw, Scale(schema)));
            default:
                // uuid and logical types without a text form of their own read as their underlying type.
                return schema.BaseSchema.Tag switch
                {
                    Schema.Type.String => Text(reader.ReadString(path)),
                    Schema.Type.Int => JsonValue.Create(reader.ReadInt(path)),
                    Schema.Type.Long => JsonValue.Create(reader.ReadLong(path)),
                    Schema.Type.Bytes => Text(Convert.ToBase64String(reader.ReadBytes(path))),
                    Schema.Type.Fixed => Text(Convert.ToBase64String(reader.ReadRaw(((FixedSchema)schema.BaseSchema).Size, path))),
                    _ => throw new AvroDataException(AvroDataProblem.SchemaMismatch, path, $"unsupported logical type {name}"),
                };
        }
    }

    public static int Scale(LogicalSchema schema) =>
        schema.GetProperty("scale") is { } s && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var scale) ? scale : 0;

    /// <summary>Days since 1970-01-01 from <c>yyyy-MM-dd</c>.</summary>
    public static bool TryParseDate(string text, out int days)
    {
        days = 0;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return false;
        }

        days = date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        return true;
    }

    /// <summary>Unix epoch ticks (100 ns) from an ISO-8601 instant (a zone-less text is UTC).</summary>
    public static bool TryParseInstant(string text, out long ticksSinceEpoch)
    {
        ticksSinceEpoch = 0;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return false;
        }

        ticksSinceEpoch = instant.UtcTicks - DateTime.UnixEpoch.Ticks;
        return true;
    }

    private static JsonValue Text(string text) => JsonValue.Create(text);

    private static DateOnly Date(int days, string path)
    {
        var number = (long)DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + days;
        return number is < 0 or > 3_652_058 // DateOnly.MaxValue.DayNumber
            ? throw new AvroDataException(AvroDataProblem.SchemaMismatch, path, "date outside years 1-9999")
            : DateOnly.FromDayNumber((int)number);
    }

    private static DateTime Instant(long units, long ticksPerUnit, string path)
    {
        var maxUnits = (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / ticksPerUnit;
        var minUnits = -DateTime.UnixEpoch.Ticks / ticksPerUnit;
        return units < minUnits || units > maxUnits
            ? throw new AvroDataException(AvroDataProblem.SchemaMismatch, path, "timestamp outside years 1-9999")
            : DateTime.UnixEpoch.AddTicks(units * ticksPerUnit);
    }

    private static DateTime TimeOfDay(long value, string path, bool micros = false)
    {
        var ticks = micros ? value is < 0 or > 86_400_000_000L ? -1 : value * TimeSpan.TicksPerMicrosecond : value;
        return ticks is < 0 or >= TimeSpan.TicksPerDay
            ? throw new AvroDataException(AvroDataProblem.SchemaMismatch, path, "time of day out of range")
            : new DateTime(ticks, DateTimeKind.Utc);
    }

    private static string DecimalText(ReadOnlySpan<byte> twosComplementBigEndian, int scale)
    {
        var unscaled = new BigInteger(twosComplementBigEndian, isUnsigned: false, isBigEndian: true);
        if (scale <= 0)
        {
            return unscaled.ToString(CultureInfo.InvariantCulture);
        }

        var negative = unscaled.Sign < 0;
        var digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
        var text = digits[..^scale] + "." + digits[^scale..];
        return negative ? "-" + text : text;
    }
}
