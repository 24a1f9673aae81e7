namespace StreamMasking.Core.Windowing;

/// <summary>
/// One piece of a <see cref="SegmentWindowEngine"/>'s open windows as a store keeps it: what one privacy unit has
/// contributed to one open window, every aggregate's share in one payload, or, with <see cref="Unit"/> null, the
/// window's records without a unit. Its size is bounded by the spec (contribution bounds, domain sizes), never by the
/// number of units, so no store record grows with the traffic.
/// </summary>
/// <param name="Window">The open window's index.</param>
/// <param name="Unit">The privacy unit as the engine names it, or null for the event-level records.</param>
/// <param name="Payload">The versioned binary contributions (read back only through <see cref="SegmentWindowEngine.FromEntries"/>).</param>
public readonly record struct WindowEntry(long Window, string? Unit, byte[] Payload);
