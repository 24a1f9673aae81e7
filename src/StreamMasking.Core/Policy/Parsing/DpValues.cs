using System.Globalization;
using System.Xml;
using StreamMasking.Core.Policy.Yaml;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>Typed reads of the DP values of a policy (ε, δ, ρ, clamp bounds, durations); one diagnostic per failure.</summary>
internal static class DpValues
{
    public static double? Number(YNode node, string path, PolicyDiagnosticBag bag)
    {
        if (node is YScalar { IsPlain: true } s
            && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value))
        {
            return value;
        }

        bag.Add(node, path, "must be a finite number");
        return null;
    }

    public static Epsilon? Epsilon(YNode node, string path, PolicyDiagnosticBag bag)
    {
        var value = Number(node, path, bag);
        if (value is null)
        {
            return null;
        }

        if (value.Value <= 0)
        {
            bag.Add(node, path, "epsilon must be a positive finite number");
            return null;
        }

        return new Epsilon(value.Value);
    }

    /// <summary>0 ≤ δ &lt; 1.</summary>
    public static Delta? Delta(YNode node, string path, PolicyDiagnosticBag bag)
    {
        var value = Number(node, path, bag);
        if (value is null)
        {
            return null;
        }

        if (value.Value is < 0 or >= 1)
        {
            bag.Add(node, path, "delta must satisfy 0 <= delta < 1");
            return null;
        }

        return new Delta(value.Value);
    }

    public static Rho? Rho(YNode node, string path, PolicyDiagnosticBag bag)
    {
        var value = Number(node, path, bag);
        if (value is null)
        {
            return null;
        }

        if (value.Value <= 0)
        {
            bag.Add(node, path, "rho must be a positive finite number");
            return null;
        }

        return new Rho(value.Value);
    }

    /// <summary>A <c>{ min, max }</c> mapping with finite min &lt; max.</summary>
    public static ClampBounds? Clamp(YNode node, string path, PolicyDiagnosticBag bag)
    {
        var mapping = YamlValues.Mapping(node, path, bag);
        if (mapping is null)
        {
            return null;
        }

        var reader = new MappingReader(mapping, path, bag, ["min", "max"]);
        var minNode = reader.Require("min");
        var maxNode = reader.Require("max");
        var min = minNode is null ? null : Number(minNode, reader.ChildPath("min"), bag);
        var max = maxNode is null ? null : Number(maxNode, reader.ChildPath("max"), bag);
        if (min is null || max is null)
        {
            return null;
        }

        if (!(min.Value < max.Value))
        {
            bag.Add(maxNode!, reader.ChildPath("max"), string.Create(
                CultureInfo.InvariantCulture, $"clamp max {max.Value:R} must be greater than min {min.Value:R}"));
            return null;
        }

        if (!double.IsFinite(max.Value - min.Value))
        {
            bag.Add(maxNode!, reader.ChildPath("max"), "clamp range max - min is too large to calibrate noise");
            return null;
        }

        return new ClampBounds(min.Value, max.Value);
    }

    /// <summary>An ISO-8601 duration (<c>PT5M</c>) or a short form: a whole number and a unit ms, s, m, h or d (<c>5m</c>).</summary>
    public static TimeSpan? Duration(YNode node, string path, PolicyDiagnosticBag bag, bool allowZero)
    {
        if (node is YScalar { IsNull: false } s && TryParseDuration(s.Value, out var value))
        {
            if (value > TimeSpan.Zero || (allowZero && value == TimeSpan.Zero))
            {
                return value;
            }

            bag.Add(node, path, allowZero ? "duration must not be negative" : "duration must be positive");
            return null;
        }

        bag.Add(node, path, "must be a duration: ISO-8601 (e.g. PT5M) or a whole number with ms, s, m, h or d (e.g. 5m)");
        return null;
    }

    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        if (text.StartsWith('P') || text.StartsWith("-P", StringComparison.Ordinal))
        {
            try
            {
                value = XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        var unitStart = 0;
        while (unitStart < text.Length && char.IsAsciiDigit(text[unitStart]))
        {
            unitStart++;
        }

        if (unitStart == 0 || unitStart > 9
            || !long.TryParse(text.AsSpan(0, unitStart), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        TimeSpan? parsed = text[unitStart..] switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            "d" => TimeSpan.FromDays(amount),
            _ => null,
        };
        value = parsed ?? default;
        return parsed is not null;
    }
}
