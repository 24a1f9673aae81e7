namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>A fixed-horizon counter for one epoch; <see cref="ContinualCounter"/> wraps these.</summary>
internal interface IEpochCounter
{
    EpochSpec Spec { get; }

    long Steps { get; }

    /// <summary>Consumes x_t and returns the epoch's noisy running total (from the epoch's first step).</summary>
    double Release(double value);

    /// <summary>Noise variance of the epoch's output at local step <paramref name="atStep"/> (1-based).</summary>
    double Variance(long atStep);

    void WriteState(BinaryWriter writer);

    void ReadState(BinaryReader reader);
}
