using System.Globalization;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Mechanisms;

/// <summary>
/// Randomized response with memoization (RAPPOR's permanent randomized response): the report for a given unit, field
/// and true value is a deterministic function of a secret key, so the same unit sending the same value many times
/// always gets the same report. Without it, repeated events would let a receiver average the noise away and the
/// local ε would grow with every repetition. Different units, fields or values use independent keyed streams.
/// </summary>
/// <remarks>
/// The label also binds k and ε: changing the policy gives fresh reports, which is a new release (and a new spend).
/// A unit whose value changes reveals one more ε-DP report about the new value.
/// </remarks>
public sealed class MemoizedRandomizedResponse
{
    private readonly byte[] _key;
    private readonly string _field;

    /// <summary>Creates a memoizing wrapper keyed by <paramref name="key"/> (at least 16 bytes) for <paramref name="field"/>.</summary>
    public MemoizedRandomizedResponse(ReadOnlySpan<byte> key, string field, RandomizedResponse mechanism)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(mechanism);
        if (key.Length < 16)
        {
            throw new ArgumentException("A memoization key needs at least 16 bytes.", nameof(key));
        }

        _key = key.ToArray();
        _field = field;
        Mechanism = mechanism;
    }

    /// <summary>The underlying randomized response.</summary>
    public RandomizedResponse Mechanism { get; }

    /// <summary>The memoized report of <paramref name="unitId"/> for true category <paramref name="trueCategory"/>.</summary>
    public int Report(string unitId, int trueCategory)
    {
        ArgumentNullException.ThrowIfNull(unitId);
        var label = KeyedRandomSource.ComposeLabel(
            "randomized-response/v1",
            _field,
            unitId,
            trueCategory.ToString(CultureInfo.InvariantCulture),
            Mechanism.CategoryCount.ToString(CultureInfo.InvariantCulture),
            Mechanism.Epsilon.Value.ToString("R", CultureInfo.InvariantCulture));
        return Mechanism.Report(new KeyedRandomSource(_key, label), trueCategory);
    }

    /// <summary>The memoized boolean report of <paramref name="unitId"/>.</summary>
    public bool Report(string unitId, bool value) => Report(unitId, value ? 1 : 0) == 1;
}
