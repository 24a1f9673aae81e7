using System.Diagnostics.CodeAnalysis;

namespace StreamMasking.Runtime.Configuration;

/// <summary>Kafka's legal topic names: 1–249 characters of <c>[a-zA-Z0-9._-]</c>, not "." or "..".</summary>
public static class TopicNameRules
{
    private const int MaxLength = 249;

    /// <summary>Checks a topic name and explains the first problem found.</summary>
    public static bool IsValid([NotNullWhen(true)] string? name, out string problem)
    {
        if (string.IsNullOrEmpty(name))
        {
            problem = "must not be empty";
            return false;
        }

        if (name.Length > MaxLength)
        {
            problem = $"is longer than {MaxLength} characters";
            return false;
        }

        if (name is "." or "..")
        {
            problem = "must not be '.' or '..'";
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                problem = $"contains '{c}'; topic names allow only letters, digits, '.', '_' and '-'";
                return false;
            }
        }

        problem = string.Empty;
        return true;
    }
}
