using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Release;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Runtime.Audit;

/// <summary>
/// The stable wire names audit events use for enums. They are part of the audit contract (and enumerated in
/// <c>schemas/audit-event.schema.json</c>): never rename one, only add.
/// </summary>
internal static class AuditCodes
{
    /// <summary>Reason of a unit-lifetime-exhausted event: the unit spent its <c>privacyUnit.lifetime</c> cap.</summary>
    internal const string EventLifetimeSpent = "event_lifetime_spent";

    /// <summary>Reason of a unit-lifetime-exhausted event: the partition's lifetime ledger is missing (every unit withheld).</summary>
    internal const string EventLifetimeStateLost = "event_lifetime_state_lost";

    /// <summary>Reason code of the releases suppressed because the segment's policy changed before its sealed windows were released.</summary>
    internal const string PolicyChanged = "policy_changed";

    /// <summary>Every code a suppression can be counted under: each <see cref="SuppressionReason"/> and <see cref="PolicyChanged"/>.</summary>
    internal static IReadOnlyList<string> SuppressionCodes { get; } =
        [.. Enum.GetValues<SuppressionReason>().Where(r => r != SuppressionReason.None).Select(SuppressionCode), PolicyChanged];

    /// <summary>The snake_case code of a suppression reason; throws for <see cref="SuppressionReason.None"/> and unknown values.</summary>
    internal static string SuppressionCode(SuppressionReason reason) => reason switch
    {
        SuppressionReason.WindowCapExceeded => "window_cap_exceeded",
        SuppressionReason.LifetimeCapExceeded => "lifetime_cap_exceeded",
        SuppressionReason.UnsupportedCostKind => "unsupported_cost_kind",
        SuppressionReason.WindowSealed => "window_sealed",
        SuppressionReason.ReleaseKeyConflict => "release_key_conflict",
        SuppressionReason.ArithmeticOverflow => "arithmetic_overflow",
        SuppressionReason.ContinualStepPassed => "continual_step_passed",
        SuppressionReason.LabelReuseRefused => "label_reuse_refused",
        SuppressionReason.ContinualStateLost => "continual_state_lost",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a suppression reason."),
    };

    /// <summary>The policy keyword of an accountant: <c>basic</c>, <c>zcdp</c> or <c>advanced-filter</c>.</summary>
    internal static string AccountantName(AccountantKind kind) => kind switch
    {
        AccountantKind.Basic => "basic",
        AccountantKind.Zcdp => "zcdp",
        AccountantKind.AdaptiveFilter => "advanced-filter",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown accountant."),
    };

    /// <summary>The wire name of a cost's privacy definition: <c>pure</c>, <c>approximate</c> or <c>zcdp</c>.</summary>
    internal static string CostKindName(PrivacyCostKind kind) => kind switch
    {
        PrivacyCostKind.PureDp => "pure",
        PrivacyCostKind.ApproximateDp => "approximate",
        PrivacyCostKind.Zcdp => "zcdp",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown privacy cost kind."),
    };

    /// <summary>The policy keyword of a noise family: <c>laplace</c> or <c>gaussian</c>.</summary>
    internal static string NoiseName(NoiseKind kind) => kind switch
    {
        NoiseKind.Laplace => "laplace",
        NoiseKind.Gaussian => "gaussian",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown noise kind."),
    };

    /// <summary>The policy keyword of an over-cap behaviour: <c>strip-noised-fields</c> or <c>drop</c>.</summary>
    internal static string OverCapName(OverCapBehavior behavior) => behavior switch
    {
        OverCapBehavior.StripNoisedFields => "strip-noised-fields",
        OverCapBehavior.Drop => "drop",
        _ => throw new ArgumentOutOfRangeException(nameof(behavior), behavior, "Unknown over-cap behaviour."),
    };
}
