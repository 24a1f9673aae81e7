using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.Release;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using static StreamMasking.Runtime.Tests.Audit.AuditFixtures;

namespace StreamMasking.Runtime.Tests.Audit.Events;

public sealed class ReleaseEventTests
{
    private static readonly string[] ForbiddenReleaseFields = ["value", "ci", "interval", "bins", "selected", "noise", "lower", "upper"];

    [Fact]
    public void Release_EveryKind_CarriesParametersAndPayloadHashButNoValuesBinsSelectedOrNoise()
    {
        var released = ReleaseFirstWindow(AllKinds());
        released.Outcomes.Count.ShouldBe(6); // five aggregates plus the continual total of the count
        var writer = Writer();

        foreach (var outcome in released.Outcomes)
        {
            outcome.Kind.ShouldBe(ReleaseOutcome.Released);
            var record = writer.Release(outcome);
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

        var data = (JsonElement)Decode(Writer().Release(outcome)).Data!;

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
        var writer = Writer();
        var otherWriter = new AuditEventWriter(Topic, "node-2", new FakeTimeProvider(Now.AddMinutes(5)));

        for (var i = 0; i < first.Count; i++)
        {
            var a = Decode(writer.Release(first[i]));
            var b = Decode(otherWriter.Release(retry[i]));
            b.Id.ShouldBe(a.Id);
            ((JsonElement)b.Data!).GetProperty("payloadSha256").GetString().ShouldBe(((JsonElement)a.Data!).GetProperty("payloadSha256").GetString());
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Release_NonFiniteNumber_Throws(double bad)
    {
        var outcome = ReleaseFirstWindow(AllKinds()).Outcomes[0];
        var broken = outcome with { Release = outcome.Release! with { NoiseScale = bad } };

        Should.Throw<ArgumentOutOfRangeException>(() => Writer().Release(broken));
    }

    [Fact]
    public void Release_Misuse_Throws()
    {
        var writer = Writer();
        var (_, _, _, suppressed, replayed) = CappedPair();

        Should.Throw<ArgumentException>(() => writer.Release(suppressed));
        Should.Throw<ArgumentException>(() => writer.Release(replayed));
    }
}
