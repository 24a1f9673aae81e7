namespace StreamMasking.Runtime.Kafka;

/// <summary>What the loop does about a Kafka error.</summary>
internal enum KafkaErrorAction
{
    /// <summary>Transient: log and retry the same operation.</summary>
    Retry,

    /// <summary>The transaction cannot commit: abort it, rewind the input, continue.</summary>
    Abort,

    /// <summary>Another instance took over this transactional id or group membership: this one is a zombie and stops.</summary>
    Fenced,

    /// <summary>Unrecoverable: stop.</summary>
    Fatal,
}
