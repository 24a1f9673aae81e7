namespace StreamMasking.Core.Policy.Matching;

/// <summary>What part of a record a predicate looks at.</summary>
public enum MatchSubject
{
    /// <summary>A body field by dotted path; strings by value, numbers by canonical decimal text, booleans as <c>true</c>/<c>false</c>.</summary>
    Field,

    /// <summary>A Kafka header by exact (case-sensitive) name, UTF-8 decoded.</summary>
    Header,

    /// <summary>The source topic name.</summary>
    Topic,
}
