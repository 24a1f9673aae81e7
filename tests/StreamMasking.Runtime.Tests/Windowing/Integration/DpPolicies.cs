using System.Globalization;
using System.Text.Json.Nodes;
using Confluent.Kafka;

namespace StreamMasking.Runtime.Tests.Windowing.Integration;

/// <summary>Policies and inputs of the DP pipeline tests.</summary>
internal static class DpPolicies
{
    /// <summary>
    /// Segment "visits": unit patient.id capped at 3 noised events per 1-minute window (10 s grace), a Laplace cost
    /// field, a continual count (ε 0.5, its whole cost charged in its first window) and a sum (ε 0.25); per-window cap
    /// ε 2. Segment "other" has no window.
    /// </summary>
    internal static Func<string, string> Visits(double lifetimeEpsilon = 100, string overCap = "strip-noised-fields",
        string late = "dead-letter", string window = "size: 1m, grace: 10s", string[]? tenants = null, string version = "dp-test-1") => prefix => $$"""
        version: "{{version}}"
        maskedTopic: "{{prefix}}.{segment}"
        segments:
        {{string.Join("\n", (tenants ?? ["a"]).Select(t => VisitSegment(t, lifetimeEpsilon, overCap, late, window)))}}
          - name: other
            match: { field: type, equals: other }
            fields: { seq: keep }
        """;

    private static string VisitSegment(string tenant, double lifetimeEpsilon, string overCap, string late, string window) => $$"""
          - name: {{(tenant == "a" ? "visits" : "visits-" + tenant)}}
            match: { all: [{ field: type, equals: visit }, { field: tenant, equals: {{tenant}} }] }
            fields:
              seq: keep
              patient.id: tokenize
              visit.cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 1000 } }
            privacyUnit: { field: patient.id, maxEventsPerWindow: 3, overCap: {{overCap}} }
            window: { {{window}}, late: {{late}} }
            budget:
              accountant: basic
              perWindow: { epsilon: 2 }
              lifetime: { epsilon: {{lifetimeEpsilon.ToString(CultureInfo.InvariantCulture)}} }
            aggregates:
              - { name: visits, kind: count, epsilon: 0.5, continual: true }
              - { name: cost, kind: sum, field: visit.cost, clamp: { min: 0, max: 1000 }, epsilon: 0.25 }
        """;

    /// <summary>Records of the standard scenario (18, in this order; see <see cref="StandardScenario"/>).</summary>
    internal const int ScenarioRecords = 18;

    /// <summary>Windows 0–4 of "visits" are sealed by the scenario (window 1 empty).</summary>
    internal const int ScenarioWindows = 5;

    /// <summary>
    /// Window 0: patient P1 × 5 (cap 3) and one record without a patient; window 1: nothing; window 2: P2 × 3;
    /// window 3: P3 × 2; then a record late for window 0; P4 in window 4 (closes window 3); a timestamp 200 days ahead;
    /// P5 at 320 s (closes window 4); three "other" records.
    /// </summary>
    internal static List<Message<byte[]?, byte[]?>> StandardScenario(string tenant = "a", int firstSeq = 0)
    {
        var seq = firstSeq;
        var messages = new List<Message<byte[]?, byte[]?>>();
        Message<byte[]?, byte[]?> Visit(double at, string? patient, double cost = 100)
        {
            var fields = new JsonObject { ["seq"] = seq++, ["tenant"] = tenant, ["visit"] = new JsonObject { ["cost"] = cost } };
            if (patient is not null)
            {
                fields["patient"] = new JsonObject { ["id"] = "CANARY-" + patient };
            }

            return DpPipelineFixture.Event("visit", at, fields);
        }

        for (var i = 0; i < 5; i++)
        {
            messages.Add(Visit(1 + i, "P1", 100 + i));
        }

        messages.Add(Visit(6, null));
        messages.AddRange([Visit(125, "P2"), Visit(126, "P2"), Visit(127, "P2")]);
        messages.AddRange([Visit(185, "P3"), Visit(186, "P3")]);
        messages.Add(Visit(30, "P6"));
        messages.Add(Visit(250, "P4"));
        messages.Add(Visit(200 * 86_400, "P7"));
        messages.Add(Visit(320, "P5"));
        for (var i = 0; i < 3; i++)
        {
            messages.Add(DpPipelineFixture.Event("other", 10 + i, new JsonObject { ["seq"] = seq++ }));
        }

        return messages;
    }
}
