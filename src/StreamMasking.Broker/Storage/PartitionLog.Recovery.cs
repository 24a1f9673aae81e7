using StreamMasking.Broker.Records;

namespace StreamMasking.Broker.Storage;

internal sealed partial class PartitionLog
{
    /// <summary>
    /// Loads the segment files of this partition's directory, truncating a torn tail, and rebuilds offsets,
    /// producer state, open transactions and the aborted index by replaying the batches. Returns bytes truncated.
    /// </summary>
    public long Recover()
    {
        if (_directory is null)
        {
            return 0;
        }

        Directory.CreateDirectory(_directory);
        foreach (var stale in Directory.GetFiles(_directory, "*.cleaned"))
        {
            File.Delete(stale);
        }

        long truncated = 0;
        lock (_lock)
        {
            var files = Directory.GetFiles(_directory, "*.log").Order(StringComparer.Ordinal).ToList();
            var now = Now;
            for (var i = 0; i < files.Count; i++)
            {
                var segment = LogSegment.Recover(files[i], now, out var dropped);
                truncated += dropped;
                // Segments emptied by compaction stay: their base offsets keep the log start offset where it was.
                _segments.Add(segment);
                if (dropped > 0)
                {
                    // Corruption inside the log: everything after it is unreachable, as in Kafka's recovery.
                    for (var j = i + 1; j < files.Count; j++)
                    {
                        truncated += new FileInfo(files[j]).Length;
                        File.Delete(files[j]);
                    }

                    break;
                }
            }

            LogStartOffset = _segments.Count == 0 ? 0 : _segments[0].BaseOffset;
            HighWatermark = LogStartOffset;
            foreach (var batch in _segments.SelectMany(s => s.Batches))
            {
                Replay(batch);
                HighWatermark = batch.LastOffset + 1;
            }

            if (_segments.Count > 0 && _segments[^1].LastOffset is null)
            {
                // An empty last segment keeps the base offset that was reached before (e.g. after retention).
                HighWatermark = Math.Max(HighWatermark, _segments[^1].BaseOffset);
                LogStartOffset = Math.Min(LogStartOffset, HighWatermark);
            }

            RecoverLogStartOffsetLocked();
        }

        return truncated;
    }

    private void Replay(LogBatch batch)
    {
        if (batch.ProducerId < 0)
        {
            return;
        }

        if (!_producers.TryGetValue(batch.ProducerId, out var entry))
        {
            entry = new ProducerStateEntry();
            _producers[batch.ProducerId] = entry;
        }

        if (batch.IsControl)
        {
            var commit = RecordBatchBuilder.IsCommitMarker(batch.Bytes);
            ApplyMarkerLocked(entry, batch.ProducerId, batch.ProducerEpoch, commit, entry.CoordinatorEpoch, batch.BaseOffset);
            return;
        }

        entry.UpdateEpoch(batch.ProducerEpoch);
        entry.Add(new ProducerStateEntry.CachedBatch(batch.BaseSequence, batch.LastSequence, batch.BaseOffset, batch.LastOffset, batch.MaxTimestamp));
        if (batch.IsTransactional && entry.OpenTransactionFirstOffset is null)
        {
            entry.OpenTransactionFirstOffset = batch.BaseOffset;
        }
    }

    /// <summary>Closes and removes all files of this partition (topic deletion).</summary>
    public void DeleteFiles()
    {
        lock (_lock)
        {
            foreach (var segment in _segments)
            {
                segment.Delete();
            }

            _segments.Clear();
        }

        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
