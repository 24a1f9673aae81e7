using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Windowing.Integration;

/// <summary>
/// The per-unit lifetime ledger of event-level noise through the running pipeline on the local broker: a unit's noised
/// field stops appearing once its <c>privacyUnit.lifetime</c> is spent, the rest of its records still flow, the fate
/// is audited once per unit, and the ledger survives a restart that has to restore it from the changelog.
/// </summary>
[Collection(KafkaCluster.Collection)]
public sealed class EventLifetimeTests(KafkaCluster cluster)
{
    // Laplace ε 0.5 per event against a lifetime ε 2: four noised events per unit, three per 1-minute window.
    private static Func<string, string> Policy => prefix => $$"""
        version: "lifetime-1"
        maskedTopic: "{{prefix}}.{segment}"
        segments:
          - name: visits
            match: { field: type, equals: visit }
            fields:
              seq: keep
              patient.id: tokenize
              visit.cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 1000 } }
            privacyUnit: { field: patient.id, maxEventsPerWindow: 3, overCap: strip-noised-fields, lifetime: { epsilon: 2 } }
            window: { size: 1m, grace: 10s }
        """;

    [Fact]
    public async Task UnitSpendsItsLifetimeCap_NoisedFieldStopsAppearing_AcrossARestart_AuditedOncePerUnit()
    {
        using var fixture = new DpPipelineFixture(cluster, Policy);
        var seq = 0;
        Message<byte[]?, byte[]?> Visit(double at, string patient) => DpPipelineFixture.Event("visit", at,
            new JsonObject { ["seq"] = seq++, ["patient"] = new JsonObject { ["id"] = "CANARY-" + patient }, ["visit"] = new JsonObject { ["cost"] = 100 } });

        // Run 1: P1 × 3 and P2 × 2 in window 0, P1 × 3 in window 1 (P1's 4th event spends its cap; the 5th and 6th go without).
        List<Message<byte[]?, byte[]?>> first = [Visit(1, "P1"), Visit(2, "P1"), Visit(3, "P1"), Visit(4, "P2"), Visit(5, "P2"),
            Visit(61, "P1"), Visit(62, "P1"), Visit(63, "P1")];
        using (var pipeline = fixture.CreatePipeline())
        {
            await pipeline.ProvisionTopicsAsync(CancellationToken.None);
            await fixture.ProduceAsync(first);
            var s = await DpPipelineFixture.RunUntilAsync(pipeline, first.Count, 0);
            s.Published.ShouldBe(first.Count);
            s.StrippedOverCap.ShouldBe(2);
        }

        // Restart on an empty state directory: the ledger must come back from the changelog, not start at zero.
        Directory.Delete(fixture.StateDirectory.Path, recursive: true);
        // Run 2: P1 again in window 2 (still withheld), P2 × 3 (its 3rd and 4th noised, the 5th spends it), P3 fresh.
        List<Message<byte[]?, byte[]?>> second = [Visit(121, "P1"), Visit(122, "P2"), Visit(123, "P2"), Visit(124, "P2"), Visit(125, "P3")];
        await fixture.ProduceAsync(second);
        using (var pipeline = fixture.CreatePipeline())
        {
            var s = await DpPipelineFixture.RunUntilAsync(pipeline, second.Count, 0);
            s.StoresRestored.ShouldBeGreaterThan(0);
            s.Published.ShouldBe(second.Count);
            s.StrippedOverCap.ShouldBe(2);
        }

        var masked = fixture.Masked("visits").Select(r => JsonDocument.Parse(r.Message.Value!).RootElement).ToList();
        masked.Count.ShouldBe(first.Count + second.Count);
        var noised = masked.OrderBy(v => v.GetProperty("seq").GetInt32())
            .Select(v => v.TryGetProperty("visit", out var visit) && visit.TryGetProperty("cost", out _)).ToList();
        // seq: 0-2 P1, 3-4 P2, 5-7 P1 (5 is P1's 4th), 8 P1, 9-10 P2 (3rd, 4th), 11 P2 (5th), 12 P3.
        noised.ShouldBe([true, true, true, true, true, true, false, false, false, true, true, false, true]);
        // The other fields still go out on every record.
        masked.Count(v => v.TryGetProperty("seq", out _) && v.GetProperty("patient").TryGetProperty("id", out _)).ShouldBe(masked.Count);

        // One audit event per exhausted unit (P1 in run 1, P2 in run 2), none for the withheld repeats; no unit id.
        var audit = fixture.AuditEvents();
        var exhausted = audit.Where(e => e.GetProperty("type").GetString() == "io.streammasking.unit.lifetime-exhausted").ToList();
        exhausted.Count.ShouldBe(2);
        exhausted.ShouldAllBe(e => e.GetProperty("data").GetProperty("reason").GetString() == "event_lifetime_spent"
            && e.GetProperty("subject").GetString() == "visits"
            && e.GetProperty("data").GetProperty("lifetimeCap").GetProperty("epsilon").GetDouble() == 2);
        var auditText = string.Join('\n', audit.Select(e => e.GetRawText()));
        auditText.ShouldNotContain("CANARY-");
        string.Join('\n', fixture.Logs.Lines).ShouldNotContain("CANARY-");
        // The policy-loaded event states the cap.
        audit.First(e => e.GetProperty("type").GetString() == "io.streammasking.policy.loaded").GetProperty("data")
            .GetProperty("segments")[0].GetProperty("privacyUnit").GetProperty("lifetime").GetProperty("epsilon").GetDouble().ShouldBe(2);
    }
}
