using System.Text.Json.Nodes;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Policy.Reporting;
using StreamMasking.Runtime.Metrics;

namespace StreamMasking.Host.Service.Http;

/// <summary>
/// The live privacy risk map served on <c>/privacy</c>: per segment each field's fate and the worst-case loss from the
/// policy (<see cref="PolicyExplainer"/>, <see cref="PrivacyRiskMapBuilder"/>), joined with the committed budget
/// ledgers (spent, caps, remaining per window and lifetime, suppressions, time to exhaustion at the current rate).
/// Built from policy text and budget figures only.
/// </summary>
internal static class PrivacyDocument
{
    internal static JsonObject Build(PrivacyPolicy policy, IReadOnlyDictionary<string, SegmentBudgetStatus> live, TimeProvider time)
    {
        var segments = new JsonArray();
        foreach (var segment in policy.Segments)
        {
            var summary = PolicyExplainer.Summarize(segment);
            var risk = PrivacyRiskMapBuilder.Build(segment);
            var status = live.GetValueOrDefault(segment.Name);
            segments.Add(new JsonObject
            {
                ["segment"] = segment.Name,
                ["maskedTopic"] = segment.MaskedTopic,
                ["accountant"] = risk.Accountant,
                ["fields"] = new JsonArray([.. summary.Fields.Select(f => (JsonNode)new JsonObject
                {
                    ["path"] = f.Path,
                    ["fate"] = f.Action,
                    ["description"] = f.Description,
                })]),
                ["aggregates"] = new JsonArray([.. risk.Aggregates.Select(a => (JsonNode)new JsonObject
                {
                    ["name"] = a.Name,
                    ["kind"] = a.Kind,
                    ["noise"] = a.Noise,
                    ["windowCost"] = a.WindowCost.ToString(),
                })]),
                ["worstCase"] = new JsonObject
                {
                    ["perEvent"] = Cost(risk.PerEvent),
                    ["perWindow"] = risk.PerWindow is { } w ? Cost(w) : null,
                    ["lifetime"] = risk.Lifetime is { } l ? Cost(l) : null,
                    ["notes"] = new JsonArray([.. risk.Notes.Select(n => (JsonNode?)n)]),
                },
                ["budget"] = status is null ? null : Budget(status),
            });
        }

        return new JsonObject
        {
            ["policyVersion"] = policy.Version,
            ["policySource"] = Path.GetFileName(policy.SourceName),
            ["generatedAt"] = time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["segments"] = segments,
        };
    }

    private static JsonObject Cost(ComposedCost cost) => new()
    {
        ["epsilon"] = cost.Epsilon,
        ["delta"] = cost.Delta,
        ["rho"] = cost.Rho,
    };

    private static JsonObject Budget(SegmentBudgetStatus status) => new()
    {
        ["costKind"] = status.Accountant,
        ["lifetime"] = Scope(status.Lifetime),
        ["window"] = Scope(status.Window),
        ["releases"] = status.Releases,
        ["suppressions"] = new JsonObject(status.SuppressionsByReason.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))),
        ["exhausted"] = status.Exhausted,
        ["secondsToExhaustion"] = status.SecondsToExhaustion,
    };

    private static JsonObject? Scope(BudgetScopeStatus? scope) => scope is null ? null : new JsonObject
    {
        ["window"] = scope.Window,
        ["spent"] = Amounts(scope.Spent),
        ["cap"] = Amounts(scope.Cap),
        ["remaining"] = Amounts(scope.Remaining),
    };

    private static JsonObject Amounts(BudgetAmounts amounts) => new()
    {
        ["epsilon"] = amounts.Epsilon,
        ["delta"] = amounts.Delta,
        ["rho"] = amounts.Rho,
    };
}
