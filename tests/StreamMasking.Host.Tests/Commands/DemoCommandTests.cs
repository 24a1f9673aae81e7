using System.Globalization;
using System.Text.RegularExpressions;
using StreamMasking.Host.Tests.Support;

namespace StreamMasking.Host.Tests.Commands;

public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task Demo_HeadlessWithDuration_PublishesMaskedRecordsAndStopsCleanly()
    {
        using var demo = HostProcess.Start(null, "demo", "--headless", "--duration", "6", "--rate", "100", "--http-port", "0");

        var exit = await demo.WaitAsync(TimeSpan.FromMinutes(3));

        exit.ShouldBe(0, demo.Error);
        demo.Output.ShouldContain("Demo finished.");
        demo.Output.ShouldContain("Endpoints: http://127.0.0.1:");
        demo.Output.ShouldContain("balanced=yes");
        var visible = VisibleLine().Matches(demo.Output).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        visible.ShouldNotBeEmpty();
        visible.Sum().ShouldBeGreaterThan(0);
        // Free text and names never reach masked output.
        demo.Output.ShouldNotContain("free text the policy does not name");
        RawSsnOrCard().IsMatch(demo.Output).ShouldBeFalse("a raw SSN or card number reached the masked output");
    }

    [Fact]
    public async Task Demo_HeadlessLongerThanAWindow_PrintsReleasesAndBalancesWithDrops()
    {
        // Windows of the demo policy are 5 s with 1 s grace: 15 s closes at least two of them in every windowed segment.
        using var demo = HostProcess.Start(null, "demo", "--headless", "--duration", "15", "--rate", "200", "--http-port", "0");

        var exit = await demo.WaitAsync(TimeSpan.FromMinutes(4));

        exit.ShouldBe(0, demo.Error);
        var releases = ReleaseLine().Matches(demo.Output).Select(m => m.Groups[1].Value).ToList();
        releases.ShouldNotBeEmpty($"no release line in: {demo.Output}");
        releases.ShouldContain("clinic-a.eu.visits");
        demo.Output.ShouldContain("budget [clinic-a.eu.visits] ε ");
        demo.Output.ShouldContain("budget [payments] ρ ");

        var balance = BalanceLine().Match(demo.Output);
        balance.Success.ShouldBeTrue($"no balance line in: {demo.Output}");
        var n = Enumerable.Range(1, 5).Select(i => long.Parse(balance.Groups[i].Value, CultureInfo.InvariantCulture)).ToArray();
        n[0].ShouldBeGreaterThan(0);
        n[0].ShouldBe(n[1] + n[2] + n[3] + n[4], balance.Value);
        balance.Groups[6].Value.ShouldBe("balanced");
        // Payments over their patient's per-window cap are dropped: the frequent patients of the generator exceed it.
        n[3].ShouldBeGreaterThan(0, "dropped");
        demo.Output.ShouldNotContain("free text the policy does not name");
        RawSsnOrCard().IsMatch(demo.Output).ShouldBeFalse("a raw SSN or card number reached the output");
    }

    [Fact]
    public async Task Demo_AvroInput_PrintsDerivedMaskedSchemasMasksEventsAndDeadLettersBadFrames()
    {
        using var demo = HostProcess.Start(null, "demo", "--headless", "--duration", "6", "--rate", "100", "--http-port", "0", "--format", "avro");

        var exit = await demo.WaitAsync(TimeSpan.FromMinutes(3));

        exit.ShouldBe(0, demo.Error);
        demo.Output.ShouldContain("input [demo.visits] Avro single-object, writer schema io.streammasking.samples.v1.PatientVisit");
        demo.Output.ShouldContain("masked schema [clinic-a.eu.visits] from demo.visits: io.streammasking.masked.clinic_a.eu.visits.PatientVisit");
        demo.Output.ShouldContain("masked schema [payments] from demo.payments: io.streammasking.masked.payments.Payment");
        demo.Output.ShouldContain("\"doc\": \"tokenize (HMAC-SHA256, per-segment key) (from tag PII)\"");
        var visible = VisibleLine().Matches(demo.Output).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        visible.Sum().ShouldBeGreaterThan(0);
        // The generator's malformed events are not Avro frames: dead-lettered as such, and the books still balance.
        demo.Output.ShouldContain("unknown_magic_byte=");
        BalanceLine().Match(demo.Output).Groups[6].Value.ShouldBe("balanced", demo.Output);
        demo.Output.ShouldNotContain("free text the policy does not name");
        RawSsnOrCard().IsMatch(demo.Output).ShouldBeFalse("a raw SSN or card number reached the output");
    }

    [GeneratedRegex(@"\b\d{3}-\d{2}-\d{4}\b|\b4111\d{12}\b")]
    private static partial Regex RawSsnOrCard();

    [GeneratedRegex(@"^masked \[[^\]]+\] visible=(\d+)", RegexOptions.Multiline)]
    private static partial Regex VisibleLine();

    [GeneratedRegex(@"^release \[([^\]]+)\] \S+", RegexOptions.Multiline)]
    private static partial Regex ReleaseLine();

    [GeneratedRegex(@"^balance: consumed (\d+) = published (\d+) \+ dead-lettered (\d+) \+ dropped (\d+) \+ in flight (\d+): (balanced|NOT balanced)", RegexOptions.Multiline)]
    private static partial Regex BalanceLine();
}
