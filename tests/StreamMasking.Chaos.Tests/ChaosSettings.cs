using System.Globalization;

namespace StreamMasking.Chaos.Tests;

/// <summary>One fault the chaos loop injects.</summary>
internal enum ChaosFault
{
    /// <summary>SIGKILL an instance and restart it on its state directory.</summary>
    Kill,

    /// <summary>SIGKILL an instance, delete its state directory (a restore from the changelog), restart it.</summary>
    KillAndWipe,

    /// <summary>SIGSTOP an instance past the session timeout, then SIGCONT: a zombie with open transactions.</summary>
    Freeze,

    /// <summary>SIGTERM an instance (graceful stop) and restart it.</summary>
    Terminate,

    /// <summary>SIGKILL the broker and restart it from its data directory on the same port.</summary>
    BrokerKill,
}

/// <summary>
/// Size of a chaos run. In the suite: every fault kind once, in a fixed order, a few seconds apart (a few minutes in
/// all). <c>STREAMMASKING_SOAK=1</c> (what <c>./test.sh --soak</c> sets): random faults for an hour.
/// <c>STREAMMASKING_CHAOS_FAULTS</c> (a comma-separated list of <see cref="ChaosFault"/> names) replaces the fixed
/// order, to replay one fault kind while debugging.
/// </summary>
internal sealed record ChaosSettings(TimeSpan Duration, IReadOnlyList<ChaosFault>? Schedule, int RecordsPerSecond, TimeSpan ActionInterval, int Seed)
{
    private static readonly ChaosFault[] EveryFaultOnce =
        [ChaosFault.Kill, ChaosFault.BrokerKill, ChaosFault.KillAndWipe, ChaosFault.Freeze, ChaosFault.Terminate];

    internal static ChaosSettings Current
    {
        get
        {
            if (Environment.GetEnvironmentVariable("STREAMMASKING_SOAK") == "1")
            {
                return new ChaosSettings(TimeSpan.FromHours(1), null, 200, TimeSpan.FromSeconds(20), 20261203);
            }

            var schedule = Environment.GetEnvironmentVariable("STREAMMASKING_CHAOS_FAULTS") is { Length: > 0 } list
                ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(name => Enum.Parse<ChaosFault>(name, ignoreCase: true)).ToArray()
                : EveryFaultOnce;
            return new ChaosSettings(TimeSpan.Zero, schedule, 100, TimeSpan.FromSeconds(5), 20261203);
        }
    }

    /// <summary>The soak's mix: 40 % SIGKILL (a third of them with a state wipe), 20 % zombie, 20 % SIGTERM, 20 % broker.</summary>
    internal static ChaosFault RandomFault(Random random) => random.Next(10) switch
    {
        < 4 => random.Next(3) == 0 ? ChaosFault.KillAndWipe : ChaosFault.Kill,
        < 6 => ChaosFault.Freeze,
        < 8 => ChaosFault.Terminate,
        _ => ChaosFault.BrokerKill,
    };

    public override string ToString() => Schedule is null
        ? string.Create(CultureInfo.InvariantCulture, $"random faults for {Duration}")
        : string.Join(", ", Schedule);
}
