namespace StreamMasking.Core.Policy.Actions;

/// <summary>An ISO 8601 date/date-time string (or epoch-milliseconds number) is truncated to a unit, in UTC.</summary>
/// <param name="Unit">The truncation unit.</param>
public sealed record GeneralizeDateAction(DateTruncation Unit) : FieldAction
{
    /// <inheritdoc />
    public override string Name => "generalize";

    /// <inheritdoc />
    public override string Describe() => $"generalize: date truncated to {Unit.ToString().ToLowerInvariant()} (UTC)";
}
