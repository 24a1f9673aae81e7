namespace StreamMasking.Core.Windowing;

/// <summary>
/// Where a <see cref="SegmentWindowEngine"/> keeps, per continual aggregate, how many windows each privacy unit has
/// fed its running total. The set grows with every unit ever seen, so a runtime with a key-value state store keeps
/// it there (one entry per unit, written when it changes) instead of inside the engine's serialized state, which is
/// rewritten on every commit. Without a store the engine keeps an in-memory map and serializes it.
/// </summary>
public interface IUnitWindowStore
{
    /// <summary>Windows of <paramref name="unit"/> already counted for aggregate <paramref name="aggregate"/> (0 when none).</summary>
    int WindowsOf(string aggregate, string unit);

    /// <summary>Records that <paramref name="unit"/> has fed <paramref name="windows"/> windows of <paramref name="aggregate"/>.</summary>
    void Record(string aggregate, string unit, int windows);
}
