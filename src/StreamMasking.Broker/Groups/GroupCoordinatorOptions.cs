namespace StreamMasking.Broker.Groups;

/// <summary>Settings of the classic consumer-group coordinator (Kafka's group.* broker settings).</summary>
public sealed class GroupCoordinatorOptions
{
    /// <summary>
    /// Delay before the first rebalance of an empty group completes, so that members starting together land in one
    /// generation (group.initial.rebalance.delay.ms). Milliseconds; default 3000 like Kafka; 0 in tests.
    /// </summary>
    public int InitialRebalanceDelayMs { get; set; } = 3000;

    /// <summary>Smallest session timeout a member may ask for (group.min.session.timeout.ms). Milliseconds; default 6000.</summary>
    public int MinSessionTimeoutMs { get; set; } = 6000;

    /// <summary>Largest session timeout a member may ask for (group.max.session.timeout.ms). Milliseconds; default 1800000.</summary>
    public int MaxSessionTimeoutMs { get; set; } = 1_800_000;

    /// <summary>Largest committed-offset metadata string accepted (offset.metadata.max.bytes). Characters; default 4096.</summary>
    public int MaxOffsetMetadataLength { get; set; } = 4096;

    /// <summary>How often session, rebalance and join deadlines are checked. Milliseconds; default 100.</summary>
    public int ExpirationCheckIntervalMs { get; set; } = 100;

    /// <summary>Throws <see cref="ArgumentException"/> naming every invalid setting.</summary>
    internal void Validate()
    {
        var errors = Errors();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => e.Message)), errors[0].Property);
        }
    }

    /// <summary>Every invalid setting with the property it names (empty when valid).</summary>
    internal IReadOnlyList<(string Property, string Message)> Errors()
    {
        var errors = new List<(string Property, string Message)>();
        if (InitialRebalanceDelayMs < 0)
        {
            errors.Add((nameof(InitialRebalanceDelayMs), "group.initial.rebalance.delay.ms must be >= 0."));
        }

        if (MinSessionTimeoutMs <= 0 || MaxSessionTimeoutMs < MinSessionTimeoutMs)
        {
            errors.Add((nameof(MinSessionTimeoutMs), "group.min.session.timeout.ms must be > 0 and <= group.max.session.timeout.ms."));
        }

        if (ExpirationCheckIntervalMs <= 0)
        {
            errors.Add((nameof(ExpirationCheckIntervalMs), "The expiration check interval must be > 0."));
        }

        return errors;
    }
}
