using StreamMasking.Broker.Records;
using StreamMasking.Broker.Topics;

namespace StreamMasking.Broker.Storage;

internal sealed partial class PartitionLog
{
    /// <summary>
    /// Deletes whole closed segments that are past retention.ms (by their newest timestamp) or beyond
    /// retention.bytes, never the active segment and never anything at or above the LSO. -1 = unbounded.
    /// The log start offset moves to the first remaining segment. Returns the number of segments deleted.
    /// </summary>
    public int ApplyRetention(TopicConfig config, long now)
    {
        var retentionMs = config.RetentionMsValue;
        var retentionBytes = config.RetentionBytesValue;
        if (retentionMs < 0 && retentionBytes < 0)
        {
            return 0;
        }

        lock (_lock)
        {
            var removed = 0;
            var lso = FirstUnstableOffsetLocked() ?? HighWatermark;
            var total = _segments.Sum(s => s.SizeInBytes);
            while (_segments.Count > 1)
            {
                var oldest = _segments[0];
                var expired = retentionMs >= 0 && oldest.MaxTimestamp < now - retentionMs;
                var oversize = retentionBytes >= 0 && total - oldest.SizeInBytes >= retentionBytes;
                if ((!expired && !oversize) || (oldest.LastOffset ?? -1) >= lso)
                {
                    break;
                }

                total -= oldest.SizeInBytes;
                removed++;
                oldest.Delete();
                _segments.RemoveAt(0);
                // Never below an offset DeleteRecords moved the start to.
                LogStartOffset = Math.Max(LogStartOffset, _segments[0].BaseOffset);
            }

            _aborted.RemoveAll(a => a.LastOffset < LogStartOffset);
            return removed;
        }
    }

    /// <summary>
    /// Compaction (cleanup.policy=compact): in closed segments entirely below the LSO, keeps only the latest
    /// record per key; tombstones go once older than delete.retention.ms; aborted transactional batches go.
    /// Batches with codecs we cannot decode (snappy, lz4, zstd) are kept intact. Returns batches removed.
    /// </summary>
    public int Compact(TopicConfig config, long now)
    {
        lock (_lock)
        {
            var lso = FirstUnstableOffsetLocked() ?? HighWatermark;
            var candidates = _segments.Take(_segments.Count - 1).Where(s => s.LastOffset is { } last && last < lso).ToList();
            if (candidates.Count == 0)
            {
                return 0;
            }

            var latest = BuildOffsetMap(lso);
            var minLag = config.MinCompactionLagMsValue;
            var removed = 0;
            foreach (var segment in candidates)
            {
                var changed = false;
                var kept = new List<LogBatch>();
                foreach (var batch in segment.ReadFrom(segment.BaseOffset))
                {
                    var cleaned = CleanBatch(batch, latest, config, now, minLag, out var batchChanged);
                    changed |= batchChanged;
                    if (cleaned is null)
                    {
                        removed++;
                    }
                    else
                    {
                        kept.Add(cleaned);
                    }
                }

                if (changed)
                {
                    _segments[_segments.IndexOf(segment)] = segment.Rewrite(kept);
                }
            }

            return removed;
        }
    }

    private Dictionary<string, long> BuildOffsetMap(long lso)
    {
        var latest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var batch in _segments.SelectMany(s => s.ReadFrom(s.BaseOffset)))
        {
            if (batch.LastOffset >= lso || batch.IsControl || IsAborted(batch) || !RecordCodec.CanDecode(batch.Codec))
            {
                continue;
            }

            foreach (var record in RecordCodec.ReadRecords(batch.Bytes))
            {
                if (record.Key is { } key)
                {
                    latest[Convert.ToBase64String(key.Span)] = batch.BaseOffset + record.OffsetDelta;
                }
            }
        }

        return latest;
    }

    private LogBatch? CleanBatch(LogBatch batch, Dictionary<string, long> latest, TopicConfig config, long now, long minLag, out bool changed)
    {
        changed = false;
        if (batch.IsControl || !RecordCodec.CanDecode(batch.Codec) || now - batch.MaxTimestamp < minLag)
        {
            return batch;
        }

        if (IsAborted(batch))
        {
            changed = true;
            return null;
        }

        var baseTimestamp = RecordBatchHeader.ReadBaseTimestamp(batch.Bytes);
        var records = RecordCodec.ReadRecords(batch.Bytes);
        var keep = records.Where(r =>
        {
            if (r.Key is not { } key)
            {
                return true;
            }

            var offset = batch.BaseOffset + r.OffsetDelta;
            if (!latest.TryGetValue(Convert.ToBase64String(key.Span), out var newest) || newest != offset)
            {
                return false;
            }

            return r.Value is not null || now - (baseTimestamp + r.TimestampDelta) < config.DeleteRetentionMsValue;
        }).ToList();

        if (keep.Count == records.Count)
        {
            return batch;
        }

        changed = true;
        if (keep.Count == 0)
        {
            return null;
        }

        // Same base offset, last offset delta, producer id/epoch/sequence: offsets and idempotence state survive.
        var attributes = (short)(batch.Attributes & ~RecordBatchHeader.CompressionMask);
        var bytes = RecordBatchBuilder.Build(
            keep, baseTimestamp, batch.MaxTimestamp, attributes, batch.ProducerId, batch.ProducerEpoch, batch.BaseSequence,
            (int)(batch.LastOffset - batch.BaseOffset));
        RecordBatchHeader.WriteBaseOffset(bytes, batch.BaseOffset);
        return LogBatch.FromBytes(bytes);
    }

    private bool IsAborted(LogBatch batch) =>
        batch.IsTransactional && !batch.IsControl
        && _aborted.Exists(a => a.ProducerId == batch.ProducerId && batch.BaseOffset >= a.FirstOffset && batch.BaseOffset < a.LastOffset);
}
