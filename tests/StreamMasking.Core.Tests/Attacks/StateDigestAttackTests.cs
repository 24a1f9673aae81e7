using System.Text.Json;
using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using static StreamMasking.Testing.WindowSpecs;

namespace StreamMasking.Core.Tests.Attacks;

/// <summary>
/// Defect 1, the attack that worked: a keyed digest of the exact sealed state was part of the release key, which the
/// release, debit and suppression audit events publish. Windows with equal exact counts showed equal digests, so an
/// observer grouped windows by exact value (2,000 hourly windows with counts 0–3 gave exactly 4 groups), averaged the
/// noisy releases of a group and named the zero class from one known-empty window. Deterministic (fixed key, fixed
/// counts): no false failures.
/// </summary>
public sealed class StateDigestAttackTests
{
    private const int Windows = 2000;

    [Fact]
    public void Release_GroupingByEveryPublishedIdentifier_YieldsOneGroupWhateverTheCounts()
    {
        // A lifetime cap that runs out part-way, so suppressed windows (which also publish their key) are covered.
        var spec = Segment(budget: new BudgetSpec
        {
            WindowCap = PrivacyCost.Pure(new Epsilon(1)),
            LifetimeCap = PrivacyCost.Pure(new Epsilon(0.5 * 1500)),
        });
        var ledger = spec.Budget.CreateLedger(spec.ContentHash);
        var groups = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        var suppressed = 0;
        for (var i = 0; i < Windows; i++)
        {
            var count = (i * 7 + (i / 13)) % 4;
            var window = new SealedWindow(spec.Segment, i, i * 60_000L, (i + 1) * 60_000L,
                [new SealedAggregate("visits", AggregateKind.Count, count, 0, [], 0)]);
            var outcome = WindowReleaser.Release(window, spec, NoiseKey, ledger).Single();
            suppressed += outcome.Kind == ReleaseOutcome.Suppressed ? 1 : 0;

            // What an observer sees besides the window index (public anyway): the release key's name, which the audit
            // events carry verbatim and from which their deterministic ids are computed.
            outcome.Key.Window.ShouldBe(i);
            var identifier = outcome.Key.Name;
            if (!groups.TryGetValue(identifier, out var values))
            {
                groups[identifier] = values = [];
            }

            values.Add(count);
        }

        suppressed.ShouldBe(500);
        var group = groups.ShouldHaveSingleItem();
        group.Value.Count.ShouldBe(4, "the one group mixes every true count: the identifier carries no information about them");
        group.Key.ShouldBe("visits/" + spec.ContentHash);
    }

    [Fact]
    public void Release_Payload_CarriesNothingBeyondTheNoisyValueAndPublicParameters()
    {
        var spec = Segment();
        var ledger = spec.Budget.CreateLedger(spec.ContentHash);
        var window = new SealedWindow(spec.Segment, 5, 300_000, 360_000, [new SealedAggregate("visits", AggregateKind.Count, 3, 0, [], 0)]);
        var payload = WindowReleaser.Release(window, spec, NoiseKey, ledger).Single().Payload!;

        using var json = JsonDocument.Parse(payload);
        json.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(
            ["segment", "policyVersion", "aggregate", "kind", "continual", "window", "mechanism", "epsilon", "delta", "noiseScale", "value", "postProcess", "ci"]);
    }
}
