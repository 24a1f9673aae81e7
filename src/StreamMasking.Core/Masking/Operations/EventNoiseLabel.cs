using System.Globalization;
using StreamMasking.Core.Records;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>
/// The keyed-random-stream label of one event's noised field: (source topic, partition, offset, field path). The key
/// is the segment's noise key, so the stream is unique per segment, record and field and identical on every replay.
/// </summary>
internal static class EventNoiseLabel
{
    private const string Domain = "StreamMasking.EventNoise/v1";

    public static string For(RecordCoordinates coordinates, string fieldPath) => KeyedRandomSource.ComposeLabel(
        Domain,
        coordinates.Topic,
        coordinates.Partition.ToString(CultureInfo.InvariantCulture),
        coordinates.Offset.ToString(CultureInfo.InvariantCulture),
        fieldPath);
}
