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
}
