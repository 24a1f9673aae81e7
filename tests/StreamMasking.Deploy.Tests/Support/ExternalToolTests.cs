namespace StreamMasking.Deploy.Tests.Support;

public sealed class ExternalToolTests
{
    private const string NoSuchTool = "streammasking-no-such-tool";

    [Fact]
    public void Require_MissingToolInCi_Fails()
    {
        var e = Should.Throw<InvalidOperationException>(() => ExternalTool.Require(NoSuchTool, "some-package", inCi: true));

        e.Message.ShouldContain("apt-get install some-package");
    }

    [Fact]
    public void Require_MissingToolOutsideCi_Skips() =>
        Should.Throw<SkipException>(() => ExternalTool.Require(NoSuchTool, "some-package", inCi: false));

    [Fact]
    public void Require_PresentTool_ReturnsItsPath() =>
        ExternalTool.Require("sh", "dash", inCi: true).ShouldEndWith("/sh");
}
