using Microsoft.Extensions.Logging;

namespace StreamMasking.Runtime.State;

/// <summary>
/// Waits until no transaction is open on a changelog partition before it is restored. A former owner frozen (or cut
/// off) after writing keeps its transaction open until the broker aborts it at its transaction timeout; meanwhile the
/// last stable offset stays behind it, and a restore up to the LSO would silently miss the committed writes of every
/// owner after it (a release made twice, a budget debit forgotten). Waiting until the LSO reaches the high watermark
/// resolves the frozen transaction one way or the other first.
/// </summary>
internal static class ChangelogStability
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Returns the offsets once the partition is stable; throws <see cref="ChangelogUnstableException"/> when it is
    /// not within <paramref name="bound"/>.
    /// </summary>
    internal static ChangelogOffsets AwaitStable(IChangelogReader reader, string store, string topic, int partition,
        TimeSpan bound, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var offsets = reader.GetOffsets(topic, partition, cancellationToken);
        if (offsets.IsStable)
        {
            return offsets;
        }

        logger.ChangelogUnstableWaiting(store, partition, offsets.StableEnd, offsets.HighWatermark, (long)bound.TotalSeconds);
        while (true)
        {
            var waited = time.GetElapsedTime(started);
            if (waited >= bound)
            {
                logger.ChangelogUnstableRefused(store, partition, offsets.StableEnd, offsets.HighWatermark, (long)waited.TotalSeconds);
                throw new ChangelogUnstableException(topic, partition, offsets, waited);
            }

            cancellationToken.WaitHandle.WaitOne(PollInterval);
            cancellationToken.ThrowIfCancellationRequested();
            offsets = reader.GetOffsets(topic, partition, cancellationToken);
            if (offsets.IsStable)
            {
                logger.ChangelogStable(store, partition, offsets.StableEnd, (long)time.GetElapsedTime(started).TotalMilliseconds);
                return offsets;
            }
        }
    }
}
