namespace StreamMasking.Core.Tests.Windows;

/// <summary>A wall clock the test moves by hand (no timers needed by the window engine).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
