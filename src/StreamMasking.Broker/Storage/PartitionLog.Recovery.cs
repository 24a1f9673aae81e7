using StreamMasking.Broker.Records;

namespace StreamMasking.Broker.Storage;

internal sealed partial class PartitionLog
{
    /// <summary>
    /// Opens the segment files of this partition's directory without reading every byte: each segment trusts its
    /// offset index and verifies only the tail after the last entry (a torn tail is truncated, and a corrupt
    /// segment drops everything after it, as in Kafka's recovery). Aborted transactions come from the
    /// transaction indexes, producer state from the newest snapshot at or below the log end plus the batch headers
    /// written after it. Returns the bytes truncated.
    /// </summary>
    public long Recover()
    {
        if (_directory is null)
        {
            return 0;
        }

        Directory.CreateDirectory(_directory);
        foreach (var stale in Directory.GetFiles(_directory, "*.cleaned").Concat(Directory.GetFiles(_directory, "*.tmp")))
        {
            File.Delete(stale);
        }

        long truncated = 0;
        lock (_lock)
        {
            var files = Directory.GetFiles(_directory, "*.log").Order(StringComparer.Ordinal).ToList();
            var now = Now;
            var interval = _config().IndexIntervalBytesValue;
            for (var i = 0; i < files.Count; i++)
            {
                var segment = LogSegment.Open(files[i], now, _cache, interval, out var dropped);
                truncated += dropped;
                // Segments emptied by compaction stay: their base offsets keep the log start offset where it was.
                _segments.Add(segment);
                if (dropped > 0)
                {
                    // Corruption inside the log: everything after it is unreachable, as in Kafka's recovery.
                    for (var j = i + 1; j < files.Count; j++)
                    {
                        foreach (var file in LogSegment.Files(files[j]).Where(File.Exists))
                        {
                            truncated += file.EndsWith(".log", StringComparison.Ordinal) ? new FileInfo(file).Length : 0;
                            File.Delete(file);
                        }
                    }

                    break;
                }
            }

            LogStartOffset = _segments.Count == 0 ? 0 : _segments[0].BaseOffset;
            HighWatermark = LogStartOffset;
            foreach (var segment in _segments)
            {
                HighWatermark = segment.LastOffset is { } last ? last + 1 : Math.Max(HighWatermark, segment.BaseOffset);
            }

            LogStartOffset = Math.Min(LogStartOffset, HighWatermark);
            RecoverProducerStateLocked();
            foreach (var segment in _segments.SkipLast(1))
            {
                segment.Seal();
            }

            RecoverLogStartOffsetLocked();
        }

        return truncated;
    }

    /// <summary>Bytes read while recovering: index-validated tails plus replayed headers (a counter for tests).</summary>
    internal long RecoveryBytesRead { get; private set; }

    // Snapshot at S (the newest one <= the log end), aborted transactions with markers below S from the indexes,
    // then the headers from S on replayed: after a clean close S is the log end and nothing is replayed.
    private void RecoverProducerStateLocked()
    {
        var snapshots = ProducerStateSnapshot.List(_directory!);
        var from = LogStartOffset;
        foreach (var (offset, path) in snapshots.Reverse())
        {
            if (offset > HighWatermark || offset < LogStartOffset)
            {
                // Beyond a truncated end (or below the start): describes a log that no longer exists.
                File.Delete(path);
                continue;
            }

            if (ProducerStateSnapshot.TryRead(path) is { } producers)
            {
                foreach (var (id, entry) in producers)
                {
                    _producers[id] = entry;
                }

                from = offset;
                break;
            }
        }

        foreach (var segment in _segments)
        {
            _aborted.AddRange(segment.AbortedTransactions.Where(a => a.LastOffset < from));
        }

        foreach (var segment in _segments)
        {
            if (segment.LastOffset is not { } last || last < from)
            {
                continue;
            }

            foreach (var batch in segment.ReadFrom(from, headersOnly: true))
            {
                if (batch.BaseOffset >= from)
                {
                    Replay(batch, segment);
                }
            }
        }

        RecoveryBytesRead = _segments.Sum(s => s.BytesRead);
    }

    private void Replay(LogBatch batch, LogSegment segment)
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
            ApplyMarkerLocked(entry, batch.ProducerId, batch.ProducerEpoch, commit, entry.CoordinatorEpoch, batch.BaseOffset, segment);
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

    private void WriteProducerSnapshotLocked()
    {
        if (_directory is not null && _segments.Count > 0)
        {
            ProducerStateSnapshot.Write(_directory, HighWatermark, _producers);
        }
    }

    /// <summary>Closes the files; a clean close snapshots the producer state at the log end, so a restart replays nothing.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_directory is not null && Directory.Exists(_directory))
            {
                WriteProducerSnapshotLocked();
            }

            foreach (var segment in _segments)
            {
                segment.Dispose();
            }
        }
    }
}
