namespace StreamMasking.Core.Policy.Actions;

/// <summary>The unit a date/time is truncated to (in UTC).</summary>
public enum DateTruncation
{
    /// <summary>January 1st, 00:00.</summary>
    Year,

    /// <summary>The first of the month, 00:00.</summary>
    Month,

    /// <summary>00:00 of the day.</summary>
    Day,

    /// <summary>The start of the hour.</summary>
    Hour,
}
