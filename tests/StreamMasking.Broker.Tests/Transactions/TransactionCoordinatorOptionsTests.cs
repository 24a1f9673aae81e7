using StreamMasking.Broker.Transactions;

namespace StreamMasking.Broker.Tests.Transactions;

public sealed class TransactionCoordinatorOptionsTests
{
    [Fact]
    public void Validate_Defaults_DoNotThrow()
    {
        Should.NotThrow(new TransactionCoordinatorOptions().Validate);
    }

    [Fact]
    public void Validate_BothInvalid_NamesBoth()
    {
        var options = new TransactionCoordinatorOptions { MaxTransactionTimeoutMs = 0, TimeoutCheckIntervalMs = -5 };

        options.Errors().Select(e => e.Property).ShouldBe(["MaxTransactionTimeoutMs", "TimeoutCheckIntervalMs"]);
        var e = Should.Throw<ArgumentException>(options.Validate);
        e.Message.ShouldContain("transaction.max.timeout.ms must be > 0.");
        e.Message.ShouldContain("The transaction timeout check interval must be > 0.");
    }
}
