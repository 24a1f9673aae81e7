using System.Text.RegularExpressions;
using StreamMasking.Host.Tests.Support;

namespace StreamMasking.Host.Tests.Commands;

public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task Demo_HeadlessWithDuration_PublishesMaskedRecordsAndStopsCleanly()
    {
        using var demo = HostProcess.Start(null, "demo", "--headless", "--duration", "6", "--rate", "100");

        var exit = await demo.WaitAsync(TimeSpan.FromMinutes(3));

        exit.ShouldBe(0, demo.Error);
        demo.Output.ShouldContain("Demo finished.");
        demo.Output.ShouldContain("balanced=yes");
        var visible = VisibleLine().Matches(demo.Output).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        visible.ShouldNotBeEmpty();
        visible.Sum().ShouldBeGreaterThan(0);
        // Free text and names never reach masked output.
        demo.Output.ShouldNotContain("free text the policy does not name");
        RawSsnOrCard().IsMatch(demo.Output).ShouldBeFalse("a raw SSN or card number reached the masked output");
    }

    [GeneratedRegex(@"\b\d{3}-\d{2}-\d{4}\b|\b4111\d{12}\b")]
    private static partial Regex RawSsnOrCard();

    [GeneratedRegex(@"^masked \[[^\]]+\] visible=(\d+)", RegexOptions.Multiline)]
    private static partial Regex VisibleLine();
}
