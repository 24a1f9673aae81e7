using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Records;

namespace StreamMasking.Broker.Storage;

internal sealed partial class PartitionLog
{
    /// <summary>
    /// Reads whole batches from <paramref name="offset"/>: at least one batch if any is visible (even if larger
    /// than <paramref name="maxBytes"/>, so consumers always progress), then more while the total stays within
    /// <paramref name="maxBytes"/>. Read_committed stops at the LSO and returns the aborted transactions in range.
    /// </summary>
    public FetchSlice Read(long offset, int maxBytes, bool readCommitted, bool minOneBatch = true)
    {
        lock (_lock)
        {
            var lso = FirstUnstableOffsetLocked() ?? HighWatermark;
            if (offset < LogStartOffset || offset > HighWatermark)
            {
                return new FetchSlice(ErrorCode.OffsetOutOfRange, [], HighWatermark, lso, LogStartOffset, null);
            }

            var upper = readCommitted ? lso : HighWatermark;
            var batches = new List<LogBatch>();
            var total = 0;
            foreach (var segment in _segments)
            {
                if (segment.LastOffset is not { } last || last < offset)
                {
                    continue;
                }

                foreach (var batch in segment.ReadFrom(offset))
                {
                    if (batch.BaseOffset >= upper || ((batches.Count > 0 || !minOneBatch) && total + batch.SizeInBytes > maxBytes))
                    {
                        goto done;
                    }

                    batches.Add(batch);
                    total += batch.SizeInBytes;
                }
            }

            done:
            IReadOnlyList<AbortedTransaction>? aborted = null;
            if (readCommitted)
            {
                var end = batches.Count == 0 ? offset : batches[^1].LastOffset + 1;
                aborted = _aborted.Where(a => a.LastOffset >= offset && a.FirstOffset < end).ToList();
            }

            return new FetchSlice(ErrorCode.None, batches, HighWatermark, lso, LogStartOffset, aborted);
        }
    }

    /// <summary>
    /// ListOffsets by time: the first offset whose record has a timestamp at or after <paramref name="timestamp"/>.
    /// Segments whose largest timestamp is below it are skipped; in the first other one the time index gives where
    /// to start reading.
    /// </summary>
    public (long Offset, long Timestamp)? OffsetForTimestamp(long timestamp, long upperBound)
    {
        lock (_lock)
        {
            foreach (var segment in _segments)
            {
                if (segment.BaseOffset >= upperBound)
                {
                    return null;
                }

                if (segment.MaxTimestamp < timestamp)
                {
                    continue;
                }

                foreach (var batch in segment.ReadFrom(segment.TimeSearchStart(timestamp)))
                {
                    if (batch.BaseOffset >= upperBound)
                    {
                        return null;
                    }

                    if (batch.IsControl || batch.MaxTimestamp < timestamp)
                    {
                        continue;
                    }

                    if (batch.Codec != CompressionCodec.None && batch.Codec != CompressionCodec.Gzip)
                    {
                        return (batch.BaseOffset, batch.MaxTimestamp);
                    }

                    var baseTimestamp = RecordBatchHeader.ReadBaseTimestamp(batch.Bytes);
                    var logAppend = (batch.Attributes & RecordBatchHeader.TimestampTypeFlag) != 0;
                    foreach (var record in RecordCodec.ReadRecords(batch.Bytes))
                    {
                        var ts = logAppend ? batch.MaxTimestamp : baseTimestamp + record.TimestampDelta;
                        if (ts >= timestamp)
                        {
                            return (batch.BaseOffset + record.OffsetDelta, ts);
                        }
                    }
                }
            }

            return null;
        }
    }

    /// <summary>ListOffsets MAX_TIMESTAMP (-3): offset and timestamp of the record with the largest timestamp.</summary>
    public (long Offset, long Timestamp)? MaxTimestampOffset()
    {
        lock (_lock)
        {
            LogSegment? best = null;
            foreach (var segment in _segments)
            {
                if (segment.MaxTimestamp >= 0 && (best is null || segment.MaxTimestamp > best.MaxTimestamp))
                {
                    best = segment;
                }
            }

            return best is null ? null : (best.OffsetOfMaxTimestamp, best.MaxTimestamp);
        }
    }

    /// <summary>All batches currently in the log (tests, compaction).</summary>
    internal IReadOnlyList<LogBatch> SnapshotBatches()
    {
        lock (_lock)
        {
            return _segments.SelectMany(s => s.ReadFrom(s.BaseOffset)).ToList();
        }
    }

    /// <summary>Bytes the segments read from their data since they were opened (recovery and cache misses).</summary>
    internal long BytesRead
    {
        get
        {
            lock (_lock)
            {
                return _segments.Sum(s => s.BytesRead);
            }
        }
    }

    internal IReadOnlyList<LogSegment> Segments
    {
        get
        {
            lock (_lock)
            {
                return _segments.ToList();
            }
        }
    }

    internal int SegmentCount
    {
        get
        {
            lock (_lock)
            {
                return _segments.Count;
            }
        }
    }
}
