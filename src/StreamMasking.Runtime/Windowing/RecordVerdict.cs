namespace StreamMasking.Runtime.Windowing;

/// <summary>What the window state decides for one record of a windowed segment.</summary>
internal enum RecordVerdict
{
    /// <summary>Publish the masked record as usual.</summary>
    Publish,

    /// <summary>Publish it without its noised fields: its privacy unit is over the cap (<c>overCap: strip-noised-fields</c>).</summary>
    PublishStripped,

    /// <summary>Do not publish: its privacy unit is over the cap (<c>overCap: drop</c>).</summary>
    DropOverCap,

    /// <summary>Its window is already closed: dead-letter or drop, per <c>window.late</c>.</summary>
    Late,

    /// <summary>Its timestamp is unusable (absent, negative, beyond year 9999, or implausibly far ahead): dead-letter.</summary>
    TimestampOutOfRange,

    /// <summary>The segment declares a privacy unit and the record has none: dead-letter (it cannot be bounded).</summary>
    MissingUnit,

    /// <summary>Its source offset was already processed (input replayed after an offset reset): deliberately dropped.</summary>
    AlreadyProcessed,
}
