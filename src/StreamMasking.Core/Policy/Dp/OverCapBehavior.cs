namespace StreamMasking.Core.Policy.Dp;

/// <summary>What happens to a privacy unit's events beyond <see cref="PrivacyUnitPolicy.MaxEventsPerWindow"/> in one window.</summary>
public enum OverCapBehavior
{
    /// <summary>The event is still published, without any noised field (<c>strip-noised-fields</c>, the default).</summary>
    StripNoisedFields,

    /// <summary>The event is not published at all (<c>drop</c>).</summary>
    Drop,
}
