using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.State;

/// <summary>
/// One (store, partition) through its lifecycle: open (lock the directory, read the checkpoint), restore from the
/// changelog, serve the processor through the decorator stack, apply or discard each transaction's writes, close
/// (checkpoint, unlock). See docs/state-stores.md for why each step is ordered as it is.
/// </summary>
internal sealed class StoreInstance : IDisposable
{
    private readonly StateStoreOptions _options;
    private readonly IChangelogSink _sink;
    private readonly ILogger _logger;
    private readonly StoreDirectory _directory;
    private RocksDbKeyValueStore _rocks;
    private BufferedKeyValueStore? _buffered;
    private IKeyValueStore? _top;
    private long? _checkpoint;
    private long _position;
    private long _appliedSinceCheckpoint;
    private bool _disposed;

    private StoreInstance(StateStoreOptions options, string name, int partition, IChangelogSink sink, ILogger logger,
        StoreDirectory directory)
    {
        _options = options;
        _sink = sink;
        _logger = logger;
        _directory = directory;
        Name = name;
        Partition = partition;
        ChangelogTopic = options.ChangelogTopicFor(name);
        _checkpoint = StateCheckpoint.TryRead(directory.CheckpointPath, ChangelogTopic, partition);
        if (_checkpoint is null || !Directory.Exists(directory.DatabasePath))
        {
            Wipe(_checkpoint is null ? "no valid checkpoint" : "no local database");
        }

        _rocks = OpenOrWipe();
    }

    internal string Name { get; }

    internal int Partition { get; }

    internal string ChangelogTopic { get; }

    /// <summary>The processor's view of the store; only available after <see cref="Restore"/>.</summary>
    internal IKeyValueStore Store => _top ?? throw new InvalidOperationException($"Store {Name}[{Partition}] is not restored yet.");

    /// <summary>
    /// Locks the directory (waiting up to <see cref="StateStoreOptions.LockWaitTimeout"/> for a previous owner in
    /// this process to close it) and opens the local database; throws <see cref="StateDirectoryLockedException"/>.
    /// </summary>
    internal static StoreInstance Open(StateStoreOptions options, string name, int partition, IChangelogSink sink,
        TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var directory = AcquireWithin(options, name, partition, time, cancellationToken);
        try
        {
            return new StoreInstance(options, name, partition, sink, logger, directory);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Catches the local database up with the committed changelog, then checkpoints. When metrics are given, the
    /// processor's view reports every operation (the metered layer on top).
    /// </summary>
    internal StoreRestoreResult Restore(IChangelogReader reader, IStateRestoreObserver? observer, IStateStoreMetrics? metrics,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_top is not null)
        {
            throw new InvalidOperationException($"Store {Name}[{Partition}] is already restored.");
        }

        var started = time.GetTimestamp();
        // Not before every transaction on the changelog is decided: the LSO of a partition with a foreign open
        // transaction hides the committed writes of the owners after it.
        var (logStart, end, _) = ChangelogStability.AwaitStable(reader, Name, ChangelogTopic, Partition,
            _options.StableChangelogTimeout, time, _logger, cancellationToken);
        if (_checkpoint is { } cp && (cp < logStart || cp > end))
        {
            // Outside the log (topic recreated, records deleted): local state cannot be trusted.
            _rocks.Dispose();
            Wipe("checkpoint outside the changelog");
            _rocks = OpenOrWipe();
        }

        var fromScratch = _checkpoint is null;
        var start = _checkpoint ?? logStart;
        observer?.OnRestoreStarted(Name, Partition, start, end);
        long restored = 0;
        var position = reader.Read(ChangelogTopic, Partition, start, end, (batch, next) =>
        {
            using var writeBatch = new RocksDbSharp.WriteBatch();
            foreach (var (key, value) in batch)
            {
                if (value is null)
                {
                    writeBatch.Delete(key);
                }
                else
                {
                    writeBatch.Put(key, value);
                }
            }

            _rocks.Write(writeBatch);
            restored += batch.Count;
            observer?.OnBatchRestored(Name, Partition, restored, next);
        }, cancellationToken);

        _position = position;
        WriteCheckpoint();
        _buffered = new BufferedKeyValueStore(_rocks);
        var logged = new ChangeLoggingKeyValueStore(_buffered, _sink, ChangelogTopic);
        _top = metrics is null ? logged : new MeteredKeyValueStore(logged, metrics, time);
        var result = new StoreRestoreResult(Name, Partition, start, position, restored, time.GetElapsedTime(started), fromScratch);
        _logger.StoreRestored(Name, Partition, restored, start, position, (long)result.Duration.TotalMilliseconds);
        observer?.OnRestoreCompleted(result);
        return result;
    }

    /// <summary>The transaction committed: make its writes durable locally, and checkpoint now and then.</summary>
    internal void OnCommitted()
    {
        if (_buffered is null)
        {
            return;
        }

        _appliedSinceCheckpoint += _buffered.ApplyPending();
        _position = Math.Max(_position, _sink.NextOffsetAfterAcknowledged(ChangelogTopic, Partition) ?? 0);
        if (_appliedSinceCheckpoint >= _options.CheckpointAfterRecords)
        {
            WriteCheckpoint();
        }
    }

    /// <summary>The transaction aborted: its writes vanish; RocksDB never saw them.</summary>
    internal void OnAborted() => _buffered?.DiscardPending();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (_buffered is { PendingCount: > 0 } buffered)
            {
                // Committed or not, we cannot tell: the offsets acknowledged so far may cover writes RocksDB lacks.
                _logger.StoreClosedUnresolved(Name, Partition, buffered.PendingCount);
                StateCheckpoint.Delete(_directory.CheckpointPath);
            }
            else if (_buffered is not null)
            {
                WriteCheckpoint();
            }
        }
        finally
        {
            _rocks.Dispose();
            _directory.Dispose();
        }
    }

    private static StoreDirectory AcquireWithin(StateStoreOptions options, string name, int partition, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                return StoreDirectory.Acquire(options.StateDirectory, options.ApplicationId, name, partition);
            }
            catch (StateDirectoryLockedException) when (time.GetElapsedTime(started) < options.LockWaitTimeout)
            {
                // A revoked owner may still be closing; poll (no notification exists across instances).
                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private RocksDbKeyValueStore OpenOrWipe()
    {
        try
        {
            return RocksDbKeyValueStore.Open(Name, Partition, _directory.DatabasePath);
        }
        catch (RocksDbSharp.RocksDbException)
        {
            // Local state is only a cache of the changelog: a database that cannot be opened is rebuilt.
            Wipe("local database unreadable");
            return RocksDbKeyValueStore.Open(Name, Partition, _directory.DatabasePath);
        }
    }

    private void WriteCheckpoint()
    {
        // Flush first: the checkpoint must never claim data an OS crash could take back from an unsynced WAL.
        _rocks.Flush();
        StateCheckpoint.Write(_directory.CheckpointPath, ChangelogTopic, Partition, _position);
        _checkpoint = _position;
        _appliedSinceCheckpoint = 0;
        _logger.StoreCheckpointed(Name, Partition, _position);
    }

    private void Wipe(string reason)
    {
        _logger.StoreWiped(Name, Partition, reason);
        _directory.Wipe();
        _checkpoint = null;
    }
}
