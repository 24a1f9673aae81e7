namespace StreamMasking.Core.Policy;

/// <summary>
/// A dotted path into nested JSON objects, e.g. <c>patient.address.zip</c>. Each segment names an object property
/// (case-sensitive); arrays are not traversed. Property names containing dots cannot be addressed.
/// </summary>
public sealed class FieldPath : IEquatable<FieldPath>
{
    private readonly string[] _segments;

    private FieldPath(string text, string[] segments)
    {
        Text = text;
        _segments = segments;
    }

    /// <summary>The dotted text of the path.</summary>
    public string Text { get; }

    /// <summary>The property names, outermost first.</summary>
    public IReadOnlyList<string> Segments => _segments;

    /// <summary>Parses a dotted path; false when it is empty or has an empty segment (leading/trailing/double dot) or whitespace at an end of a segment.</summary>
    public static bool TryParse(string text, out FieldPath? path)
    {
        path = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var segments = text.Split('.');
        foreach (var s in segments)
        {
            if (s.Length == 0 || char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1]))
            {
                return false;
            }
        }

        path = new FieldPath(text, segments);
        return true;
    }

    /// <summary>True when this path is a strict prefix of <paramref name="other"/> (e.g. <c>a</c> of <c>a.b</c>).</summary>
    public bool IsAncestorOf(FieldPath other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._segments.Length <= _segments.Length)
        {
            return false;
        }

        for (var i = 0; i < _segments.Length; i++)
        {
            if (!string.Equals(_segments[i], other._segments[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public bool Equals(FieldPath? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FieldPath);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <inheritdoc />
    public override string ToString() => Text;
}
