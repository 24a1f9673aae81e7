using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Policy.Reporting;

/// <summary>One declared aggregate and what one window's release of it costs.</summary>
/// <param name="Name">Aggregate name.</param>
/// <param name="Kind">Kind keyword (count, sum, …).</param>
/// <param name="Noise">Noise keyword (laplace, gaussian).</param>
/// <param name="WindowCost">Cost of one window's release, in the segment accountant's currency.</param>
/// <param name="ContinualCost">One-off cost of its continual counter (charged with the first window), or null.</param>
/// <param name="WindowsPerUnit">Windows of one unit its continual counter covers (<c>windowsPerUnit</c>).</param>
/// <param name="ReplaceGroupSize">1 when the add/remove cost also holds for a replace neighbour, 2 when it doubles
/// (see <see cref="Dp.ReplaceConversion"/>).</param>
public sealed record AggregateRisk(string Name, string Kind, string Noise, PrivacyCost WindowCost, PrivacyCost? ContinualCost,
    int WindowsPerUnit = 1, int ReplaceGroupSize = 1);
