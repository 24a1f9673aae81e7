using System.Globalization;
using System.Text;

namespace StreamMasking.Runtime.State;

/// <summary>
/// The checkpoint file of one (store, partition): the changelog offset up to which the local RocksDB is known to
/// hold every committed change. Format (text, like Kafka Streams' <c>.checkpoint</c>): a version line <c>0</c>,
/// then one line <c>&lt;changelog topic&gt; &lt;partition&gt; &lt;offset&gt;</c>. Written atomically (temp file,
/// fsync, rename); anything unreadable counts as absent, which triggers a wipe and a full restore.
/// </summary>
internal static class StateCheckpoint
{
    private const string Version = "0";

    /// <summary>The checkpointed offset for exactly this changelog partition, or null when absent or invalid.</summary>
    internal static long? TryRead(string path, string changelogTopic, int partition)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        if (lines.Length != 2 || lines[0] != Version)
        {
            return null;
        }

        var parts = lines[1].Split(' ');
        if (parts.Length != 3 || parts[0] != changelogTopic
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p != partition
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return null;
        }

        return offset;
    }

    /// <summary>Replaces the checkpoint atomically and durably.</summary>
    internal static void Write(string path, string changelogTopic, int partition, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var temp = path + ".tmp";
        var text = string.Create(CultureInfo.InvariantCulture, $"{Version}\n{changelogTopic} {partition} {offset}\n");
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Removes the checkpoint, if any.</summary>
    internal static void Delete(string path) => File.Delete(path);
}
