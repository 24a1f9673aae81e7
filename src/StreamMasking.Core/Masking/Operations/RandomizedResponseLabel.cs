using System.Globalization;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Records;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>
/// Keyed-stream labels of the two randomized-response layers (under the segment's noise key). Both commit to the
/// mechanism: the category <b>set</b> by value (canonically sorted, so reordering the declared categories changes
/// nothing, while adding or renaming one is a new mechanism) and the layer's ε. The permanent label is the memo key —
/// (field, unit, true value) — so the same unit reporting the same value always starts from the same permanent
/// response; the instantaneous label is the report's own identity — (source topic, partition, offset, field) — so
/// each report is freshly randomized and a replay of the same record is byte-identical.
/// </summary>
internal static class RandomizedResponseLabel
{
    private const string PermanentDomain = "StreamMasking.RandomizedResponse.Permanent/v2";
    private const string InstantaneousDomain = "StreamMasking.RandomizedResponse.Instantaneous/v1";
    private const string BooleanDomain = "boolean";

    public static string Permanent(RandomizedResponseAction action, string fieldPath, string unit, string value) =>
        KeyedRandomSource.ComposeLabel(PermanentDomain, Mechanism(action), Format(action.PermanentEpsilonOrDefault.Value), fieldPath, unit, value);

    public static string Instantaneous(RandomizedResponseAction action, string fieldPath, RecordCoordinates coordinates) =>
        KeyedRandomSource.ComposeLabel(
            InstantaneousDomain,
            Mechanism(action),
            Format(action.Epsilon.Value),
            fieldPath,
            coordinates.Topic,
            coordinates.Partition.ToString(CultureInfo.InvariantCulture),
            coordinates.Offset.ToString(CultureInfo.InvariantCulture));

    // k-RR is symmetric in its categories: the mechanism is the category set, not its order.
    private static string Mechanism(RandomizedResponseAction action) => action.Categories is { } categories
        ? KeyedRandomSource.ComposeLabel([.. categories.Order(StringComparer.Ordinal)])
        : BooleanDomain;

    private static string Format(double epsilon) => epsilon.ToString("R", CultureInfo.InvariantCulture);
}
