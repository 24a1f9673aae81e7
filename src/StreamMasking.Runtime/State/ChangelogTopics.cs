using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Runtime.State;

/// <summary>Names of changelog topics (Kafka Streams convention).</summary>
internal static class ChangelogTopics
{
    /// <summary><c>&lt;applicationId&gt;-&lt;store&gt;-changelog</c>; throws when the result is not a legal topic name.</summary>
    internal static string NameFor(string applicationId, string storeName)
    {
        var name = $"{applicationId}-{storeName}-changelog";
        if (!TopicNameRules.IsValid(name, out var problem))
        {
            throw new ArgumentException($"Changelog topic '{name}' for store '{storeName}' {problem}.", nameof(storeName));
        }

        return name;
    }
}
