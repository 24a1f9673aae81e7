namespace StreamMasking.Core.Windowing;

/// <summary>Receives the changes of a change-tracking <see cref="SegmentWindowEngine"/> (<see cref="SegmentWindowEngine.DrainChanges"/>).</summary>
public interface IWindowEntryWriter
{
    /// <summary>Writes (or overwrites) the entry of <see cref="WindowEntry.Window"/> and <see cref="WindowEntry.Unit"/>.</summary>
    void Put(in WindowEntry entry);

    /// <summary>Deletes every entry of <paramref name="window"/>: it was sealed, and its contributions are in the sealed window.</summary>
    void RemoveWindow(long window);
}
