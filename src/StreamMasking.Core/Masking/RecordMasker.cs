using System.Text.Json.Nodes;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Records;

namespace StreamMasking.Core.Masking;

/// <summary>
/// Masks records per their segment's field rules. Every segment is compiled once at construction (field tree, operations,
/// derived token key), so the per-record path does no policy parsing or reflection. Immutable after construction and
/// safe to call from many threads at once. Dispose it (after the last <c>Mask</c> call) to release the per-thread
/// HMAC instances and their key copies.
/// </summary>
public sealed class RecordMasker : IDisposable
{
    private readonly PrivacyPolicy _policy;
    private readonly SegmentPlan[] _plans;

    /// <summary>Compiles every segment of <paramref name="policy"/>; copies the segment keys, so the keyring may be disposed afterwards.</summary>
    public RecordMasker(PrivacyPolicy policy, TokenKeyring keyring)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(keyring);
        _policy = policy;
        _plans = [.. policy.Segments.Select(s => new SegmentPlan(s, policy.Defaults, keyring.SegmentKey(s.Name), keyring.NoiseKey(s.Name)))];
    }

    /// <summary>Releases the per-thread HMAC instances. Not to be called while another thread is masking.</summary>
    public void Dispose()
    {
        foreach (var plan in _plans)
        {
            plan.Dispose();
        }
    }

    /// <summary>
    /// Masks <paramref name="record"/> with <paramref name="segment"/>'s rules: a new object holding only the named fields
    /// after their actions, or a failure (reason + field path) when any field cannot take its action.
    /// </summary>
    /// <remarks>
    /// Noise actions need <see cref="RecordEnvelope.Coordinates"/> (fail closed with FieldActionFailed without them).
    /// </remarks>
    public MaskResult Mask(SegmentPolicy segment, RecordEnvelope record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return PlanOf(segment).Mask(record);
    }

    /// <summary>
    /// Removes every event-level noise field (<c>laplace</c>, <c>gaussian</c>, <c>randomized-response</c>) from
    /// <paramref name="masked"/>, an output of <see cref="Mask"/> for <paramref name="segment"/>, in place. The runtime
    /// does it for a privacy unit's events beyond <c>privacyUnit.maxEventsPerWindow</c> under
    /// <c>overCap: strip-noised-fields</c> and once the unit's event-noise lifetime is spent: the event still flows,
    /// without any field that spends privacy budget, and is masked only once.
    /// </summary>
    public void StripNoisedFields(SegmentPolicy segment, JsonObject masked)
    {
        ArgumentNullException.ThrowIfNull(masked);
        PlanOf(segment).StripNoised(masked);
    }

    /// <summary>
    /// The key of <paramref name="record"/>'s masked output under <paramref name="segment"/>'s <c>key</c>: null for
    /// <c>none</c>, else a segment token (never a raw value). False, with the failed path (the key field, or
    /// <c>$key</c> when the input record has no key), when the declared key cannot be derived.
    /// </summary>
    public bool TryOutputKey(SegmentPolicy segment, RecordEnvelope record, byte[]? inputKey, out string? token, out string? failedPath)
    {
        ArgumentNullException.ThrowIfNull(record);
        return PlanOf(segment).TryKey(record, inputKey, out token, out failedPath);
    }

    private SegmentPlan PlanOf(SegmentPolicy segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (segment.Index >= _plans.Length || !ReferenceEquals(_policy.Segments[segment.Index], segment))
        {
            throw new ArgumentException($"Segment '{segment.Name}' does not belong to this masker's policy.", nameof(segment));
        }

        return _plans[segment.Index];
    }
}
