using System.Globalization;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>
/// Splits text into user-perceived characters (extended grapheme clusters), so masking never cuts a surrogate pair,
/// a combining accent or an emoji sequence in half.
/// </summary>
internal static class TextElements
{
    /// <summary>Start offsets of each text element, plus the text length as a final sentinel.</summary>
    public static int[] Boundaries(string text)
    {
        if (IsSimple(text))
        {
            var simple = new int[text.Length + 1];
            for (var i = 0; i <= text.Length; i++)
            {
                simple[i] = i;
            }

            return simple;
        }

        var starts = new List<int>(text.Length + 1);
        var offset = 0;
        while (offset < text.Length)
        {
            starts.Add(offset);
            offset += StringInfo.GetNextTextElementLength(text, offset);
        }

        starts.Add(text.Length);
        return [.. starts];
    }

    /// <summary>
    /// Printable ASCII without CR: every char is its own grapheme cluster (CR LF is the one ASCII cluster of two chars,
    /// and control characters are excluded to stay on the safe side).
    /// </summary>
    public static bool IsSimple(string text)
    {
        foreach (var c in text)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
