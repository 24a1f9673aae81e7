namespace StreamMasking.Chaos.Tests;

/// <summary>
/// Size of a chaos run: a few minutes in the suite; <c>STREAMMASKING_SOAK=1</c> (what <c>./test.sh --soak</c>
/// sets) runs the same loop for an hour.
/// </summary>
internal sealed record ChaosSettings(TimeSpan Duration, int RecordsPerSecond, TimeSpan ActionInterval, int Seed)
{
    internal static ChaosSettings Current => Environment.GetEnvironmentVariable("STREAMMASKING_SOAK") == "1"
        ? new ChaosSettings(TimeSpan.FromHours(1), 200, TimeSpan.FromSeconds(20), 20261203)
        : new ChaosSettings(TimeSpan.FromSeconds(75), 150, TimeSpan.FromSeconds(6), 20261203);
}
