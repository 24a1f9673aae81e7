namespace StreamMasking.Broker.Tests.Groups;

/// <summary>A clock the test moves by hand; coordinator deadline sweeps are invoked explicitly.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
