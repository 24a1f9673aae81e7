namespace StreamMasking.Core.Policy.Parsing;

/// <summary>Kafka topic-name rules applied to segment names and the masked topic pattern.</summary>
internal static class TopicNames
{
    /// <summary>Kafka's limit on topic name length.</summary>
    public const int MaxLength = 249;

    public const string SegmentPlaceholder = "{segment}";

    /// <summary>Only <c>[a-zA-Z0-9._-]</c>, and not <c>.</c> or <c>..</c> (Kafka's own rule).</summary>
    public static bool IsSafe(string name)
    {
        if (name.Length == 0 || name is "." or "..")
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Kafka metric names turn '.' into '_', so names equal after that mapping collide.</summary>
    public static string CollisionKey(string name) => name.Replace('.', '_');
}
