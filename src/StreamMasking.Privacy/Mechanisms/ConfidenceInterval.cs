namespace StreamMasking.Privacy.Mechanisms;

/// <summary>
/// An interval that contains the true (pre-noise, post-clamping) value with probability at least
/// <see cref="Level"/> over the noise. Derived from the noise distribution only, so publishing it costs no budget.
/// </summary>
public readonly record struct ConfidenceInterval(double Lower, double Upper, double Level);
