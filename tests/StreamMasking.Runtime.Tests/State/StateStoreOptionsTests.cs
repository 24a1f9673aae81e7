using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Tests.State;

public sealed class StateStoreOptionsTests
{
    [Fact]
    public void Validate_Valid_DoesNotThrow()
    {
        Should.NotThrow(() => new StateStoreOptions { StateDirectory = "dir", ApplicationId = "app" }.Validate());
    }

    [Fact]
    public void Validate_SeveralInvalidSettings_NamesEveryOne()
    {
        var options = new StateStoreOptions
        {
            StateDirectory = " ",
            ApplicationId = "a/b",
            CheckpointAfterRecords = 0,
            LockWaitTimeout = TimeSpan.FromSeconds(-1),
            StableChangelogTimeout = TimeSpan.FromSeconds(-1),
        };

        options.Errors().Select(e => e.Property).ShouldBe(
            ["StateDirectory", "ApplicationId", "CheckpointAfterRecords", "StableChangelogTimeout", "LockWaitTimeout"]);
        var e = Should.Throw<ArgumentException>(options.Validate);
        e.ParamName.ShouldBe("StateDirectory");
        e.Message.ShouldContain("StateDirectory is required.");
        e.Message.ShouldContain("CheckpointAfterRecords must be at least 1.");
        e.Message.ShouldContain("StableChangelogTimeout must not be negative.");
        e.Message.ShouldContain("LockWaitTimeout must not be negative.");
    }
}
