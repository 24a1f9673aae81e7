using StreamMasking.Core.Release;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// Which (segment, cap) pairs this process has already announced as exhausted. A spent lifetime cap stays spent, so
/// every later window suppresses its releases again: each suppression is still audited (the audit topic records every
/// withheld release), but the warning is logged once per (segment, cap) per process, not once per release forever.
/// </summary>
internal sealed class ExhaustedCaps
{
    private readonly HashSet<(string Segment, SuppressionReason Cap)> _announced = [];

    /// <summary>Whether <paramref name="reason"/> is an exhausted lifetime cap (the only cap that never refills).</summary>
    internal static bool IsExhaustion(SuppressionReason reason) => reason == SuppressionReason.LifetimeCapExceeded;

    /// <summary>True the first time <paramref name="segment"/>'s cap is reported by this process, false afterwards.</summary>
    internal bool FirstTime(string segment, SuppressionReason reason) => _announced.Add((segment, reason));
}
