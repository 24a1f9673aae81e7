namespace StreamMasking.Runtime.Processing;

/// <summary>
/// The names of the two stages (in log lines, metrics labels, dead letters and audit events), here so that the parts a
/// stage is made of (windowing, ownership, audit) name their stage without depending on the stage's processor.
/// </summary>
internal static class StageNames
{
    /// <summary>Stage route: input topics to the repartition topic, keyed by segment.</summary>
    internal const string Route = "route";

    /// <summary>Stage mask: the repartition topic (or segment-keyed inputs) to the masked topics, windows and releases.</summary>
    internal const string Mask = "mask";
}
