using System.Globalization;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Storage;

internal sealed partial class PartitionLog
{
    /// <summary>File in the partition directory that keeps a log start offset moved by DeleteRecords.</summary>
    internal const string LogStartOffsetFile = "log-start-offset";

    /// <summary>
    /// DeleteRecords: moves the log start offset up to <paramref name="offset"/> (-1 = the high watermark). Fetches
    /// below it answer OFFSET_OUT_OF_RANGE and ListOffsets(earliest) returns it; closed segments entirely below it
    /// are deleted. The offset is persisted, so it survives a restart even inside a segment. Returns the error and
    /// the log start offset (the low watermark) afterwards.
    /// </summary>
    public (ErrorCode Error, long LowWatermark) DeleteRecordsBefore(long offset)
    {
        long low;
        lock (_lock)
        {
            var target = offset == -1 ? HighWatermark : offset;
            if (target < 0 || target > HighWatermark)
            {
                return (ErrorCode.OffsetOutOfRange, LogStartOffset);
            }

            if (target <= LogStartOffset)
            {
                return (ErrorCode.None, LogStartOffset);
            }

            LogStartOffset = target;
            // Segment i holds [base(i), base(i+1)); the active segment stays (it carries the next offset).
            while (_segments.Count > 1 && _segments[1].BaseOffset <= target)
            {
                _segments[0].Delete();
                _segments.RemoveAt(0);
            }

            _aborted.RemoveAll(a => a.LastOffset < LogStartOffset);
            PersistLogStartOffsetLocked();
            low = LogStartOffset;
        }

        _onChange();
        return (ErrorCode.None, low);
    }

    private void PersistLogStartOffsetLocked()
    {
        if (_directory is null)
        {
            return;
        }

        var path = Path.Combine(_directory, LogStartOffsetFile);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var text = new StreamWriter(stream))
        {
            text.Write(LogStartOffset.ToString(CultureInfo.InvariantCulture));
            text.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    // After recovery: a persisted log start offset above the first segment's base wins (clamped to the end).
    private void RecoverLogStartOffsetLocked()
    {
        if (_directory is null)
        {
            return;
        }

        var path = Path.Combine(_directory, LogStartOffsetFile);
        if (File.Exists(path)
            && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var persisted)
            && persisted > LogStartOffset)
        {
            LogStartOffset = Math.Min(persisted, HighWatermark);
            _aborted.RemoveAll(a => a.LastOffset < LogStartOffset);
        }
    }
}
