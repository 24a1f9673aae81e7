using System.Text.Json;

namespace StreamMasking.Runtime.Tests.PrivacyAudit;

/// <summary>
/// Everything an observer of the output topics sees about one trial (one window release, or one masked record): a
/// numeric feature of the released value, and every string the release and its audit events carry, split at '/'
/// (identifiers such as release keys are paths). A string that recurs across trials lets an observer group them.
/// </summary>
internal sealed record Observation(double Feature, IReadOnlySet<string> Tokens)
{
    /// <summary>Every string leaf of <paramref name="elements"/> (and its '/'-separated parts) into <paramref name="tokens"/>.</summary>
    internal static void CollectTokens(JsonElement element, ISet<string> tokens)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    CollectTokens(property.Value, tokens);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectTokens(item, tokens);
                }

                break;
            case JsonValueKind.String:
                var text = element.GetString()!;
                tokens.Add(text);
                foreach (var part in text.Split('/'))
                {
                    tokens.Add(part);
                }

                break;
        }
    }
}
