using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>
/// A continual-release counter: consumes window values x_1, x_2, … one step at a time and after each step releases
/// a differentially private estimate of the running total x_1 + … + x_t. Noise is derived from a keyed PRF by
/// (counter id, node or step), so a restored counter emits exactly the same future outputs.
/// </summary>
public interface IContinualCounter
{
    /// <summary>The configuration.</summary>
    ContinualCounterOptions Options { get; }

    /// <summary>Steps consumed so far.</summary>
    long Steps { get; }

    /// <summary>Steps this counter can consume in total (<see cref="long.MaxValue"/> for doubling epochs).</summary>
    long Capacity { get; }

    /// <summary>
    /// The privacy cost of everything this counter will ever release (debit it once, before the first release).
    /// </summary>
    PrivacyCost Cost { get; }

    /// <summary>Consumes x_t (finite) and returns the noisy running total for step t = <see cref="Steps"/> + 1.</summary>
    double Release(double value);

    /// <summary>The variance of the noise in the output of step <paramref name="atStep"/> (1-based).</summary>
    double Variance(long atStep);

    /// <summary>Serialises the state; <see cref="ContinualCounter.Restore"/> with the same key continues identically.</summary>
    byte[] ToBytes();
}
