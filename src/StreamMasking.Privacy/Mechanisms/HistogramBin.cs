namespace StreamMasking.Privacy.Mechanisms;

/// <summary>One released histogram bin; the ε and δ in <paramref name="Result"/> are those of the whole histogram.</summary>
public sealed record HistogramBin(string Key, ReleaseResult Result);
