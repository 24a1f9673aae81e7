using StreamMasking.Broker.Groups;

namespace StreamMasking.Broker.Tests.Groups;

public sealed class GroupCoordinatorOptionsTests
{
    [Fact]
    public void Validate_Defaults_DoNotThrow()
    {
        Should.NotThrow(new GroupCoordinatorOptions().Validate);
    }

    [Fact]
    public void Validate_SeveralInvalidSettings_NamesEveryOne()
    {
        var options = new GroupCoordinatorOptions { InitialRebalanceDelayMs = -1, MinSessionTimeoutMs = 0, ExpirationCheckIntervalMs = 0 };

        options.Errors().Select(e => e.Property).ShouldBe(["InitialRebalanceDelayMs", "MinSessionTimeoutMs", "ExpirationCheckIntervalMs"]);
        var e = Should.Throw<ArgumentException>(options.Validate);
        e.ParamName.ShouldBe("InitialRebalanceDelayMs");
        e.Message.ShouldContain("group.initial.rebalance.delay.ms must be >= 0.");
        e.Message.ShouldContain("group.min.session.timeout.ms must be > 0 and <= group.max.session.timeout.ms.");
        e.Message.ShouldContain("The expiration check interval must be > 0.");
    }
}
