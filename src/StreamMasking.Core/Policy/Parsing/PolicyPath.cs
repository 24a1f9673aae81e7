using System.Globalization;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>Builds diagnostic key paths like <c>segments[1].fields['patient.id'].bucket</c>.</summary>
internal static class PolicyPath
{
    public static string Key(string parent, string key)
    {
        if (!IsSimple(key))
        {
            return parent + "['" + key + "']";
        }

        return parent.Length == 0 ? key : parent + "." + key;
    }

    public static string Index(string parent, int index) =>
        parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    private static bool IsSimple(string key)
    {
        if (key.Length == 0)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}
