using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.Aggregation;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Pipeline;
using StreamMasking.Runtime.Tests.Support;
using static StreamMasking.Runtime.Tests.Audit.AuditFixtures;

namespace StreamMasking.Runtime.Tests.Audit;

public sealed class AuditEventWriterTests
{
    private static readonly string[] ForbiddenReleaseFields = ["value", "ci", "interval", "bins", "selected", "noise", "lower", "upper"];

    [Fact]
    public void Release_Envelope_ParsesBackWithCloudEventsSdk()
    {
        var released = ReleaseFirstWindow(AllKinds());
        var outcome = released.Outcomes[0];

        var record = Factory().Release(outcome);
        var cloudEvent = Decode(record);

        cloudEvent.SpecVersion.ShouldBe(CloudEventsSpecVersion.V1_0);
        cloudEvent.Type.ShouldBe(AuditEventTypes.Release);
        cloudEvent.Source.ShouldBe(new Uri("urn:streammasking:instance:node-1"));
        cloudEvent.Id.ShouldBe(AuditEventWriter.DeterministicId(AuditEventTypes.Release, Segment, "v1", outcome.Key.ToString()));
        cloudEvent.Time.ShouldBe(Now);
        cloudEvent.Time!.Value.Offset.ShouldBe(TimeSpan.Zero);
        cloudEvent.Subject.ShouldBe(Segment);
        cloudEvent.DataContentType.ShouldBe("application/json");
        cloudEvent.IsValid.ShouldBeTrue();
        var data = cloudEvent.Data.ShouldBeOfType<JsonElement>();
        data.GetProperty("aggregate").GetString().ShouldBe("visits");
        data.GetProperty("releaseKey").GetString().ShouldBe(outcome.Key.ToString());
    }

    [Fact]
    public void Release_KafkaRecord_KeyedBySegmentWithContentTypeHeaderAndEventTimestamp()
    {
        var outcome = ReleaseFirstWindow(AllKinds()).Outcomes[0];

        var record = Factory().Release(outcome);

        record.Topic.ShouldBe(Topic);
        record.Kind.ShouldBe(OutputKind.Audit);
        record.Segment.ShouldBe(Segment);
        record.ReasonCode.ShouldBeNull();
        Records.Text(record.Message.Key).ShouldBe(Segment);
        Records.Header(record.Message, "content-type").ShouldBe("application/cloudevents+json; charset=utf-8");
        record.Message.Timestamp.UnixTimestampMs.ShouldBe(Now.ToUnixTimeMilliseconds());
        using var json = JsonDocument.Parse(record.Message.Value);
        json.RootElement.GetProperty("specversion").GetString().ShouldBe("1.0");
        json.RootElement.GetProperty("time").GetString().ShouldBe("2026-11-23T12:00:00.123Z");
    }

    [Fact]
    public void Release_EveryKind_CarriesParametersAndPayloadHashButNoValuesBinsSelectedOrNoise()
    {
        var released = ReleaseFirstWindow(AllKinds());
        released.Outcomes.Count.ShouldBe(6); // five aggregates plus the continual total of the count
        var factory = Factory();

        foreach (var outcome in released.Outcomes)
        {
            outcome.Kind.ShouldBe(ReleaseOutcomeKind.Released);
            var record = factory.Release(outcome);
            var data = (JsonElement)Decode(record).Data!;
            var names = data.EnumerateObject().Select(p => p.Name).ToList();
            names.ShouldNotContain(n => ForbiddenReleaseFields.Contains(n), outcome.Aggregate);
            Encoding.UTF8.GetString(record.Message.Value!).ShouldNotContain("\"value\"");

            var release = outcome.Release!;
            data.GetProperty("payloadSha256").GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(outcome.Payload!)));
            data.GetProperty("kind").GetString().ShouldBe(ReleaseJson.KindName(release.Kind));
            data.GetProperty("continual").GetBoolean().ShouldBe(release.Continual);
            data.GetProperty("mechanism").GetString().ShouldBe(release.Mechanism);
            data.GetProperty("epsilon").GetDouble().ShouldBe(release.Epsilon);
            data.GetProperty("delta").GetDouble().ShouldBe(release.Delta);
            data.GetProperty("noiseScale").GetDouble().ShouldBe(release.NoiseScale);
            data.GetProperty("policyVersion").GetString().ShouldBe("v1");
            data.GetProperty("window").GetProperty("index").GetInt64().ShouldBe(0);
            data.GetProperty("window").GetProperty("start").GetString().ShouldBe("1970-01-01T00:00:00.000Z");
            data.GetProperty("window").GetProperty("end").GetString().ShouldBe("1970-01-01T00:01:00.000Z");
            data.TryGetProperty("step", out var step).ShouldBe(release.Continual);
            if (release.Continual)
            {
                step.GetInt64().ShouldBe(release.Step!.Value);
            }
        }
    }

    [Fact]
    public void Release_ZcdpRelease_CarriesRho()
    {
        var outcome = ReleaseFirstWindow(Zcdp()).Outcomes[0];

        var data = (JsonElement)Decode(Factory().Release(outcome)).Data!;

        outcome.Release!.Rho.ShouldNotBeNull();
        data.GetProperty("rho").GetDouble().ShouldBe(outcome.Release.Rho!.Value);
    }

    [Fact]
    public void Release_RetriedAfterAbortedTransaction_SameIdsAndPayloadHash()
    {
        var spec = AllKinds();
        var window = Seal(spec)[0];
        var first = WindowReleaser.Release(window, spec, NoiseKey, spec.Budget.CreateLedger(), new ContinualTotals(spec, NoiseKey));
        // The transaction aborted: the ledger and counter are reloaded (here: fresh) and the window released again.
        var retry = WindowReleaser.Release(window, spec, NoiseKey, spec.Budget.CreateLedger(), new ContinualTotals(spec, NoiseKey));
        var factory = Factory();
        var otherFactory = new AuditEventWriter(Topic, "node-2", new FakeTimeProvider(Now.AddMinutes(5)));

        for (var i = 0; i < first.Count; i++)
        {
            var a = Decode(factory.Release(first[i]));
            var b = Decode(otherFactory.Release(retry[i]));
            b.Id.ShouldBe(a.Id);
            ((JsonElement)b.Data!).GetProperty("payloadSha256").GetString().ShouldBe(((JsonElement)a.Data!).GetProperty("payloadSha256").GetString());
        }
    }

    [Fact]
    public void DeterministicIds_DifferentReleaseKeysTypesOrVersions_Differ()
    {
        var released = ReleaseFirstWindow(AllKinds());
        var factory = Factory();

        var releaseIds = released.Outcomes.Select(o => Decode(factory.Release(o)).Id).ToList();
        var debitIds = released.Outcomes.Select(o => Decode(factory.BudgetDebit(Segment, o, released.Ledger)).Id).ToList();

        releaseIds.ShouldAllBe(id => id!.Length == 32 && id.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)));
        releaseIds.Distinct().Count().ShouldBe(released.Outcomes.Count);
        releaseIds.Intersect(debitIds).ShouldBeEmpty();
        var key = released.Outcomes[0].Key.ToString();
        AuditEventWriter.DeterministicId(AuditEventTypes.Release, Segment, "v1", key)
            .ShouldNotBe(AuditEventWriter.DeterministicId(AuditEventTypes.Release, Segment, "v2", key));
        AuditEventWriter.DeterministicId(AuditEventTypes.Release, Segment, "v1", key)
            .ShouldNotBe(AuditEventWriter.DeterministicId(AuditEventTypes.Release, "other", "v1", key));
    }

    [Fact]
    public void DeterministicId_IsFirst16BytesOfSha256OverNewlineJoinedParts()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("t\ns\nv\n0/k")).AsSpan(0, 16));

        AuditEventWriter.DeterministicId("t", "s", "v", "0/k").ShouldBe(expected);
    }

    [Fact]
    public void BudgetDebit_ReportsChargedCostSpendsCapsAndRemaining()
    {
        var released = ReleaseFirstWindow(AllKinds());
        var ledger = released.Ledger;
        var count = released.Outcomes[0];

        var cloudEvent = Decode(Factory().BudgetDebit(Segment, count, ledger));
        var data = (JsonElement)cloudEvent.Data!;

        cloudEvent.Type.ShouldBe(AuditEventTypes.BudgetDebit);
        cloudEvent.Subject.ShouldBe(Segment);
        cloudEvent.Id.ShouldBe(AuditEventWriter.DeterministicId(AuditEventTypes.BudgetDebit, Segment, "v1", count.Key.ToString()));
        data.GetProperty("releaseKey").GetString().ShouldBe(count.Key.ToString());
        data.GetProperty("aggregate").GetString().ShouldBe("visits");
        data.GetProperty("accountant").GetString().ShouldBe("basic");
        data.GetProperty("sequence").GetInt64().ShouldBe(1);
        var charged = data.GetProperty("charged");
        charged.GetProperty("kind").GetString().ShouldBe("pure");
        charged.GetProperty("epsilon").GetDouble().ShouldBe(0.5);
        charged.GetProperty("delta").GetDouble().ShouldBe(0);
        // The window's spend is rewound to right after this (first) debit, although the rest of the window followed.
        data.GetProperty("windowSpend").GetProperty("epsilon").GetDouble().ShouldBe(0.5);
        data.GetProperty("windowSpend").GetProperty("delta").GetDouble().ShouldBe(0);
        data.GetProperty("windowSpend").GetProperty("count").GetInt64().ShouldBe(1);
        data.GetProperty("windowCap").GetProperty("epsilon").GetDouble().ShouldBe(10);
        data.GetProperty("remainingInWindow").GetProperty("epsilon").GetDouble().ShouldBe(9.5);
        // Lifetime figures are the ledger's as of its latest debit.
        data.GetProperty("ledgerSequence").GetInt64().ShouldBe(released.Outcomes.Count);
        data.GetProperty("lifetimeSpend").GetProperty("epsilon").GetDouble().ShouldBe(ledger.LifetimeSpend.Epsilon.Value);
        data.GetProperty("lifetimeSpend").GetProperty("count").GetInt64().ShouldBe(ledger.LifetimeSpend.Count);
        data.GetProperty("lifetimeCap").GetProperty("kind").GetString().ShouldBe("approximate");
        data.GetProperty("remainingLifetime").GetProperty("epsilon").GetDouble().ShouldBe(ledger.RemainingLifetime().Epsilon.Value);
        data.GetProperty("lifetimeGuarantee").GetProperty("epsilon").GetDouble().ShouldBe(ledger.LifetimeSpend.Epsilon.Value);
    }

    [Fact]
    public void BudgetDebit_LastDebitOfWindow_WindowSpendMatchesLedgerExactly()
    {
        var released = ReleaseFirstWindow(AllKinds());
        var ledger = released.Ledger;
        var last = released.Outcomes.MaxBy(o => ledger.FindDebit(o.Key)!.Sequence)!;

        var data = (JsonElement)Decode(Factory().BudgetDebit(Segment, last, ledger)).Data!;

        var spend = ledger.WindowSpend(0);
        var remaining = ledger.RemainingInWindow(0);
        data.GetProperty("sequence").GetInt64().ShouldBe(data.GetProperty("ledgerSequence").GetInt64());
        data.GetProperty("windowSpend").GetProperty("epsilon").GetDouble().ShouldBe(spend.Epsilon.Value);
        data.GetProperty("windowSpend").GetProperty("delta").GetDouble().ShouldBe(spend.Delta.Value);
        data.GetProperty("windowSpend").GetProperty("rho").GetDouble().ShouldBe(spend.Rho.Value);
        data.GetProperty("windowSpend").GetProperty("count").GetInt64().ShouldBe(spend.Count);
        data.GetProperty("remainingInWindow").GetProperty("epsilon").GetDouble().ShouldBe(remaining.Epsilon.Value);
        data.GetProperty("remainingInWindow").GetProperty("delta").GetDouble().ShouldBe(remaining.Delta.Value);
    }

    [Fact]
    public void BudgetDebit_ContinualTotal_ReportsItsWholeCost()
    {
        var released = ReleaseFirstWindow(AllKinds());
        var continual = released.Outcomes[1];
        continual.Continual.ShouldBeTrue();

        var data = (JsonElement)Decode(Factory().BudgetDebit(Segment, continual, released.Ledger)).Data!;

        data.GetProperty("continual").GetBoolean().ShouldBeTrue();
        data.GetProperty("charged").GetProperty("epsilon").GetDouble().ShouldBe(continual.Charged!.Value.Epsilon.Value);
        data.GetProperty("sequence").GetInt64().ShouldBe(released.Ledger.FindDebit(continual.Key)!.Sequence);
    }

    [Fact]
    public void Suppression_WindowCapExceeded_ReportsReasonWindowAndKey()
    {
        // Two counts at ε = 0.5 under a window cap of 0.7: the second is refused.
        var spec = Spec(
            [Count("a"), Count("b")],
            new BudgetSpec { WindowCap = PrivacyCost.Pure(new Epsilon(0.7)), LifetimeCap = PrivacyCost.Pure(new Epsilon(10)) });
        var released = ReleaseFirstWindow(spec);
        var suppressed = released.Outcomes[1];
        suppressed.Kind.ShouldBe(ReleaseOutcomeKind.Suppressed);
        suppressed.Reason.ShouldBe(SuppressionReason.WindowCapExceeded);

        var record = Factory().Suppression(suppressed, released.Window, spec.PolicyVersion);
        var cloudEvent = Decode(record);
        var data = (JsonElement)cloudEvent.Data!;

        cloudEvent.Type.ShouldBe(AuditEventTypes.Suppression);
        cloudEvent.Subject.ShouldBe(Segment);
        cloudEvent.Id.ShouldBe(AuditEventWriter.DeterministicId(AuditEventTypes.Suppression, Segment, "v1", suppressed.Key.ToString()));
        record.Segment.ShouldBe(Segment);
        data.GetProperty("reason").GetString().ShouldBe("window_cap_exceeded");
        data.GetProperty("aggregate").GetString().ShouldBe("b");
        data.GetProperty("continual").GetBoolean().ShouldBeFalse();
        data.GetProperty("window").GetProperty("index").GetInt64().ShouldBe(0);
        data.GetProperty("releaseKey").GetString().ShouldBe(suppressed.Key.ToString());
    }

    [Fact]
    public void Suppression_LifetimeCapAndPassedContinualStep_AreReported()
    {
        var spec = Spec(
            [Count(continual: true)],
            new BudgetSpec { WindowCap = PrivacyCost.Pure(new Epsilon(10)), LifetimeCap = PrivacyCost.Pure(new Epsilon(1.5)) });
        var windows = Seal(spec, windows: 3);
        var ledger = spec.Budget.CreateLedger();
        var totals = new ContinualTotals(spec, NoiseKey);
        var factory = Factory();

        var outcomes = windows.Select(w => (Window: w, Outcomes: WindowReleaser.Release(w, spec, NoiseKey, ledger, totals))).ToList();
        // Window 0 pays count + counter (1.0), window 1 pays its count (1.5), window 2's count is over the lifetime cap.
        var lifetime = outcomes[2].Outcomes[0];
        lifetime.Reason.ShouldBe(SuppressionReason.LifetimeCapExceeded);
        var passed = WindowReleaser.Release(windows[0], spec, NoiseKey, ledger, totals)[1];
        passed.Reason.ShouldBe(SuppressionReason.ContinualStepPassed);

        Reason(factory.Suppression(lifetime, windows[2], "v1")).ShouldBe("lifetime_cap_exceeded");
        Reason(factory.Suppression(passed, windows[0], "v1")).ShouldBe("continual_step_passed");
    }

    [Fact]
    public void Suppression_EveryReasonExceptNone_HasDistinctSnakeCaseCode()
    {
        var spec = Spec(
            [Count("a"), Count("b")],
            new BudgetSpec { WindowCap = PrivacyCost.Pure(new Epsilon(0.7)), LifetimeCap = PrivacyCost.Pure(new Epsilon(10)) });
        var released = ReleaseFirstWindow(spec);
        var factory = Factory();

        var codes = Enum.GetValues<SuppressionReason>()
            .Where(r => r != SuppressionReason.None)
            .Select(r => Reason(factory.Suppression(released.Outcomes[1] with { Reason = r }, released.Window, "v1")))
            .ToList();

        codes.ShouldBe(
        [
            "window_cap_exceeded", "lifetime_cap_exceeded", "unsupported_cost_kind", "window_sealed",
            "release_key_conflict", "arithmetic_overflow", "continual_step_passed", "label_reuse_refused",
            "continual_state_lost",
        ]);
        codes.ShouldAllBe(c => c.All(ch => char.IsAsciiLetterLower(ch) || ch == '_'));
    }

    [Fact]
    public void PolicyLoaded_SummarisesSegmentsWithoutSubject()
    {
        var policy = DpPolicy();

        var record = Factory().PolicyLoaded(policy, "mask");
        var cloudEvent = Decode(record);
        var data = (JsonElement)cloudEvent.Data!;

        cloudEvent.Type.ShouldBe(AuditEventTypes.PolicyLoaded);
        cloudEvent.Subject.ShouldBeNull();
        cloudEvent.Id!.Length.ShouldBe(32);
        record.Message.Key.ShouldBeNull();
        record.Segment.ShouldBeNull();
        record.Kind.ShouldBe(OutputKind.Audit);
        data.GetProperty("policyVersion").GetString().ShouldBe("dp-1");
        data.GetProperty("policySource").GetString().ShouldBe("dp.yaml");
        data.GetProperty("stage").GetString().ShouldBe("mask");
        var segments = data.GetProperty("segments").EnumerateArray().ToList();
        segments.Select(s => s.GetProperty("name").GetString()).ShouldBe(["visits", "payments", "notes"]);

        var visits = segments[0];
        visits.GetProperty("maskedTopic").GetString().ShouldBe(policy.Segments[0].MaskedTopic);
        visits.GetProperty("privacyUnit").GetProperty("field").GetString().ShouldBe("patient.id");
        visits.GetProperty("privacyUnit").GetProperty("maxEventsPerWindow").GetInt32().ShouldBe(4);
        visits.GetProperty("privacyUnit").GetProperty("overCap").GetString().ShouldBe("strip-noised-fields");
        visits.GetProperty("window").GetProperty("sizeMs").GetInt64().ShouldBe(3_600_000);
        visits.GetProperty("window").GetProperty("graceMs").GetInt64().ShouldBe(300_000);
        visits.GetProperty("window").GetProperty("idleCloseMs").GetInt64().ShouldBe(600_000);
        visits.GetProperty("budget").GetProperty("accountant").GetString().ShouldBe("basic");
        visits.GetProperty("budget").GetProperty("perWindow").GetProperty("epsilon").GetDouble().ShouldBe(1.0);
        visits.GetProperty("budget").GetProperty("lifetime").GetProperty("delta").GetDouble().ShouldBe(1e-4);
        var aggregates = visits.GetProperty("aggregates").EnumerateArray().ToList();
        aggregates.Select(a => a.GetProperty("kind").GetString()).ShouldBe(["count", "sum", "mean", "histogram", "top-k"]);
        aggregates[0].GetProperty("continual").GetBoolean().ShouldBeTrue();
        aggregates[2].GetProperty("noise").GetString().ShouldBe("gaussian");
        aggregates[2].GetProperty("delta").GetDouble().ShouldBe(1e-7);

        var payments = segments[1];
        payments.GetProperty("budget").GetProperty("accountant").GetString().ShouldBe("zcdp");
        payments.GetProperty("budget").GetProperty("lifetime").GetProperty("rho").GetDouble().ShouldBe(5);
        payments.GetProperty("privacyUnit").GetProperty("overCap").GetString().ShouldBe("drop");
        payments.GetProperty("privacyUnit").GetProperty("lifetime").GetProperty("rho").GetDouble().ShouldBe(3);
        visits.GetProperty("privacyUnit").TryGetProperty("lifetime", out _).ShouldBeFalse();
        payments.GetProperty("window").TryGetProperty("idleCloseMs", out _).ShouldBeFalse();

        var notes = segments[2];
        notes.TryGetProperty("privacyUnit", out _).ShouldBeFalse();
        notes.TryGetProperty("window", out _).ShouldBeFalse();
        notes.TryGetProperty("budget", out _).ShouldBeFalse();
        notes.GetProperty("aggregates").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public void NonReleaseEvents_GetFreshRandomIds()
    {
        var factory = Factory();
        var policy = DpPolicy();

        var ids = new[]
        {
            factory.PolicyLoaded(policy, "mask"),
            factory.PolicyLoaded(policy, "mask"),
            factory.DeadLetterSummary("route", new Dictionary<string, long> { ["late_record"] = 1 }, new Dictionary<string, long> { [""] = 1 }),
            factory.DeadLetterSummary("route", new Dictionary<string, long> { ["late_record"] = 1 }, new Dictionary<string, long> { [""] = 1 }),
            factory.RecordsDropped("mask", Segment, new Dictionary<string, long>(), 1),
            factory.RecordsDropped("mask", Segment, new Dictionary<string, long>(), 1),
        }.Select(r => Decode(r).Id).ToList();

        ids.Distinct().Count().ShouldBe(ids.Count);
        ids.ShouldAllBe(id => id!.Length == 32);
    }

    [Fact]
    public void DeadLetterSummary_SubjectIsStageAndCountsAreTotalled()
    {
        var byReason = new Dictionary<string, long> { ["schema_mismatch"] = 2, ["late_record"] = 3 };
        var bySegment = new Dictionary<string, long> { [Segment] = 4, [""] = 1 };

        var record = Factory().DeadLetterSummary("mask", byReason, bySegment);
        var cloudEvent = Decode(record);
        var data = (JsonElement)cloudEvent.Data!;

        cloudEvent.Type.ShouldBe(AuditEventTypes.DeadLetterSummary);
        cloudEvent.Subject.ShouldBe("mask");
        Records.Text(record.Message.Key).ShouldBe("mask");
        record.Segment.ShouldBeNull();
        data.GetProperty("stage").GetString().ShouldBe("mask");
        data.GetProperty("total").GetInt64().ShouldBe(5);
        data.GetProperty("byReason").EnumerateObject().Select(p => (p.Name, p.Value.GetInt64())).ShouldBe([("late_record", 3L), ("schema_mismatch", 2L)]);
        data.GetProperty("bySegment").EnumerateObject().Select(p => (p.Name, p.Value.GetInt64())).ShouldBe([("", 1L), (Segment, 4L)]);
    }

    [Fact]
    public void RecordsDropped_SubjectIsSegmentWithCountsAndStripped()
    {
        var dropped = new Dictionary<string, long> { ["unit_cap_exceeded"] = 2, ["late_record"] = 5 };

        var record = Factory().RecordsDropped("mask", Segment, dropped, 7);
        var cloudEvent = Decode(record);
        var data = (JsonElement)cloudEvent.Data!;

        cloudEvent.Type.ShouldBe(AuditEventTypes.RecordsDropped);
        cloudEvent.Subject.ShouldBe(Segment);
        record.Segment.ShouldBe(Segment);
        Records.Text(record.Message.Key).ShouldBe(Segment);
        data.GetProperty("stage").GetString().ShouldBe("mask");
        data.GetProperty("segment").GetString().ShouldBe(Segment);
        data.GetProperty("dropped").GetProperty("late_record").GetInt64().ShouldBe(5);
        data.GetProperty("totalDropped").GetInt64().ShouldBe(7);
        data.GetProperty("strippedOverCap").GetInt64().ShouldBe(7);
    }

    [Fact]
    public void Misuse_Throws()
    {
        var factory = Factory();
        var spec = Spec(
            [Count("a"), Count("b")],
            new BudgetSpec { WindowCap = PrivacyCost.Pure(new Epsilon(0.7)), LifetimeCap = PrivacyCost.Pure(new Epsilon(10)) });
        var released = ReleaseFirstWindow(spec);
        var paid = released.Outcomes[0];
        var suppressed = released.Outcomes[1];
        var replayed = WindowReleaser.Release(released.Window, spec, NoiseKey, released.Ledger)[0];
        replayed.Kind.ShouldBe(ReleaseOutcomeKind.Replayed);
        var otherWindow = Seal(spec, windows: 2)[1];

        Should.Throw<ArgumentException>(() => factory.Release(suppressed));
        Should.Throw<ArgumentException>(() => factory.Release(replayed));
        Should.Throw<ArgumentException>(() => factory.BudgetDebit(Segment, replayed, released.Ledger));
        Should.Throw<ArgumentException>(() => factory.BudgetDebit(Segment, suppressed, released.Ledger));
        Should.Throw<ArgumentException>(() => factory.BudgetDebit("other", paid, released.Ledger));
        Should.Throw<ArgumentException>(() => factory.BudgetDebit(Segment, paid, spec.Budget.CreateLedger())); // not debited
        Should.Throw<ArgumentException>(() => factory.Suppression(paid, released.Window, "v1"));
        Should.Throw<ArgumentException>(() => factory.Suppression(suppressed with { Reason = SuppressionReason.None }, released.Window, "v1"));
        Should.Throw<ArgumentException>(() => factory.Suppression(suppressed, otherWindow, "v1"));
        Should.Throw<ArgumentException>(() => factory.Suppression(suppressed, released.Window, ""));
        Should.Throw<ArgumentException>(() => factory.DeadLetterSummary("", new Dictionary<string, long>(), new Dictionary<string, long>()));
        Should.Throw<ArgumentException>(() => factory.DeadLetterSummary("route", new Dictionary<string, long> { ["x"] = -1 }, new Dictionary<string, long>()));
        Should.Throw<ArgumentException>(() => factory.DeadLetterSummary("route", new Dictionary<string, long>(), new Dictionary<string, long> { ["x"] = -1 }));
        Should.Throw<ArgumentException>(() => factory.RecordsDropped("mask", Segment, new Dictionary<string, long> { ["x"] = -1 }, 0));
        Should.Throw<ArgumentException>(() => factory.RecordsDropped("mask", Segment, new Dictionary<string, long>(), -1));
        Should.Throw<ArgumentException>(() => factory.RecordsDropped("mask", "", new Dictionary<string, long>(), 0));
        Should.Throw<ArgumentException>(() => new AuditEventWriter("", Instance, TimeProvider.System));
        Should.Throw<ArgumentException>(() => new AuditEventWriter(Topic, "", TimeProvider.System));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Release_NonFiniteNumber_Throws(double bad)
    {
        var outcome = ReleaseFirstWindow(AllKinds()).Outcomes[0];
        var broken = outcome with { Release = outcome.Release! with { NoiseScale = bad } };

        Should.Throw<ArgumentOutOfRangeException>(() => Factory().Release(broken));
    }

    private static string Reason(OutputRecord record) =>
        ((JsonElement)Decode(record).Data!).GetProperty("reason").GetString()!;

    [Fact]
    public void UnitLifetimeExhausted_CarriesSegmentPartitionReasonAndCapButNoUnit()
    {
        var cap = PrivacyCost.Pure(new Epsilon(4));
        var record = Factory().UnitLifetimeExhausted("mask", "visits", 3, AuditCodes.EventLifetimeSpent, cap);

        var node = JsonDocument.Parse(record.Message.Value!).RootElement;
        node.GetProperty("type").GetString().ShouldBe(AuditEventTypes.UnitLifetimeExhausted);
        node.GetProperty("subject").GetString().ShouldBe("visits");
        var data = node.GetProperty("data");
        data.EnumerateObject().Select(p => p.Name).ShouldBe(["stage", "segment", "partition", "reason", "lifetimeCap"]);
        data.GetProperty("partition").GetInt32().ShouldBe(3);
        data.GetProperty("reason").GetString().ShouldBe("event_lifetime_spent");
        data.GetProperty("lifetimeCap").GetProperty("epsilon").GetDouble().ShouldBe(4);
        record.Segment.ShouldBe("visits");
    }

    [Fact]
    public void SchemaFieldsUnnamed_NamesFieldsNotValues_IdSameForEveryReportOfThePair()
    {
        var segment = DpPolicy().Segments[0];
        var record = Factory().SchemaFieldsUnnamed("mask", segment, "io.example.Visit", 0x0123_4567_89ab_cdefL, ["notes"]);
        var again = new AuditEventWriter("audit", "another-instance", TimeProvider.System)
            .SchemaFieldsUnnamed("mask", segment, "io.example.Visit", 0x0123_4567_89ab_cdefL, ["notes"]);
        var otherWriter = Factory().SchemaFieldsUnnamed("mask", segment, "io.example.Visit", 0x0123_4567_89ab_cdeeL, ["notes"]);

        var node = JsonDocument.Parse(record.Message.Value!).RootElement;
        node.GetProperty("type").GetString().ShouldBe(AuditEventTypes.SchemaFieldsUnnamed);
        node.GetProperty("subject").GetString().ShouldBe(segment.Name);
        var data = node.GetProperty("data");
        data.EnumerateObject().Select(p => p.Name).ShouldBe(["stage", "segment", "writerSchema", "writerFingerprint", "contentHash", "unnamedFields"]);
        data.GetProperty("writerFingerprint").GetString().ShouldBe("0123456789abcdef");
        data.GetProperty("unnamedFields").EnumerateArray().Select(e => e.GetString()).ShouldBe(["notes"]);
        var id = node.GetProperty("id").GetString();
        JsonDocument.Parse(again.Message.Value!).RootElement.GetProperty("id").GetString().ShouldBe(id);
        JsonDocument.Parse(otherWriter.Message.Value!).RootElement.GetProperty("id").GetString().ShouldNotBe(id);
    }
}
