namespace StreamMasking.Core.Release;

/// <summary>One noisy histogram bin.</summary>
/// <param name="Key">Declared domain key.</param>
/// <param name="Value">Noisy count.</param>
/// <param name="Lower">Confidence interval lower end.</param>
/// <param name="Upper">Confidence interval upper end.</param>
public sealed record ReleasedBin(string Key, double Value, double Lower, double Upper);
