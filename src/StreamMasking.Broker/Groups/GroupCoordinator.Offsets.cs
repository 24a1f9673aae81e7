using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Groups;

/// <summary>OffsetCommit, TxnOffsetCommit, OffsetFetch and the completion of transactional offsets.</summary>
internal sealed partial class GroupCoordinator
{
    /// <summary>Commits offsets for a group member (or, with generation -1 and no member, for an empty group).</summary>
    /// <returns>An error code per partition, in request order.</returns>
    public IReadOnlyList<ErrorCode> CommitOffsets(
        string groupId, int generationId, string memberId, string? groupInstanceId,
        IReadOnlyList<KeyValuePair<TopicPartitionKey, CommittedOffset>> offsets)
    {
        lock (_sync)
        {
            var error = ValidateCommit(groupId, generationId, memberId, groupInstanceId, transactional: false, out var group);
            if (error != ErrorCode.None)
            {
                return offsets.Select(_ => error).ToList();
            }

            var member = group!.Get(memberId);
            if (member is not null)
            {
                // A commit proves the member is alive, like a heartbeat.
                member.SessionDeadline = _time.GetUtcNow().AddMilliseconds(member.SessionTimeoutMs);
            }

            var (accepted, errors) = Screen(offsets);
            _offsets.Commit(groupId, accepted);
            return errors;
        }
    }

    /// <summary>
    /// Stages offsets sent by a transactional producer (SendOffsetsToTransaction). They become committed when the
    /// transaction commits (<see cref="CompleteTransaction"/>) and are discarded when it aborts.
    /// </summary>
    public IReadOnlyList<ErrorCode> StageTransactionalOffsets(
        string groupId, long producerId, int generationId, string memberId, string? groupInstanceId,
        IReadOnlyList<KeyValuePair<TopicPartitionKey, CommittedOffset>> offsets)
    {
        lock (_sync)
        {
            var error = ValidateCommit(groupId, generationId, memberId, groupInstanceId, transactional: true, out _);
            if (error != ErrorCode.None)
            {
                return offsets.Select(_ => error).ToList();
            }

            var (accepted, errors) = Screen(offsets);
            _offsets.Stage(groupId, producerId, accepted);
            return errors;
        }
    }

    /// <summary>Called by the transaction coordinator when a transaction that added this group's offsets ends.</summary>
    public void CompleteTransaction(string groupId, long producerId, bool commit)
    {
        lock (_sync)
        {
            _offsets.CompleteTransaction(groupId, producerId, commit);
        }
    }

    /// <summary>
    /// Committed offsets; <paramref name="partitions"/> null means every partition the group committed. With
    /// <paramref name="requireStable"/> (read_committed consumers), a partition with a pending transactional commit
    /// answers UNSTABLE_OFFSET_COMMIT so the client retries instead of starting from a position about to change.
    /// </summary>
    public IReadOnlyList<OffsetFetchResult> FetchOffsets(string groupId, IReadOnlyList<TopicPartitionKey>? partitions, bool requireStable)
    {
        lock (_sync)
        {
            if (partitions is null)
            {
                return _offsets.All(groupId)
                    .Select(o => new OffsetFetchResult(o.Key, o.Value.Offset, o.Value.LeaderEpoch, o.Value.Metadata, ErrorCode.None))
                    .ToList();
            }

            return partitions.Select(p =>
            {
                if (requireStable && _offsets.HasPending(groupId, p))
                {
                    GroupLog.OffsetUnstable(_logger, groupId, p.Topic, p.Partition);
                    return new OffsetFetchResult(p, -1, -1, string.Empty, ErrorCode.UnstableOffsetCommit);
                }

                var committed = _offsets.Get(groupId, p);
                return committed is null
                    ? new OffsetFetchResult(p, -1, -1, string.Empty, ErrorCode.None)
                    : new OffsetFetchResult(p, committed.Offset, committed.LeaderEpoch, committed.Metadata, ErrorCode.None);
            }).ToList();
        }
    }

    private ErrorCode ValidateCommit(string groupId, int generationId, string memberId, string? groupInstanceId, bool transactional, out ClassicGroup? group)
    {
        if (groupId.Length == 0)
        {
            group = null;
            return ErrorCode.InvalidGroupId;
        }

        if (!_groups.TryGetValue(groupId, out group))
        {
            if (generationId >= 0 && !transactional)
            {
                return ErrorCode.IllegalGeneration;
            }

            // Offsets for a group that never joined (manual assignment, admin tools): the group exists from now on.
            group = _groups[groupId] = new ClassicGroup(groupId);
            return ErrorCode.None;
        }

        if (group.State == GroupState.Dead)
        {
            return ErrorCode.CoordinatorNotAvailable;
        }

        if (generationId >= 0 || memberId.Length > 0 || groupInstanceId is not null)
        {
            if (groupInstanceId is not null && group.MemberIdOfInstance(groupInstanceId) is { } current && current != memberId)
            {
                return ErrorCode.FencedInstanceId;
            }

            if (!group.Has(memberId))
            {
                return ErrorCode.UnknownMemberId;
            }

            if (generationId != group.GenerationId)
            {
                return ErrorCode.IllegalGeneration;
            }

            return !transactional && group.State == GroupState.CompletingRebalance ? ErrorCode.RebalanceInProgress : ErrorCode.None;
        }

        // Generation -1 without a member: only allowed while no consumer is a member (simple/admin commits).
        return group.State == GroupState.Empty || transactional ? ErrorCode.None : ErrorCode.UnknownMemberId;
    }

    private (List<KeyValuePair<TopicPartitionKey, CommittedOffset>> Accepted, List<ErrorCode> Errors) Screen(
        IReadOnlyList<KeyValuePair<TopicPartitionKey, CommittedOffset>> offsets)
    {
        var accepted = new List<KeyValuePair<TopicPartitionKey, CommittedOffset>>(offsets.Count);
        var errors = new List<ErrorCode>(offsets.Count);
        foreach (var offset in offsets)
        {
            if (!_catalog.PartitionExists(offset.Key.Topic, offset.Key.Partition))
            {
                errors.Add(ErrorCode.UnknownTopicOrPartition);
            }
            else if (offset.Value.Metadata is { Length: var length } && length > _options.MaxOffsetMetadataLength)
            {
                errors.Add(ErrorCode.OffsetMetadataTooLarge);
            }
            else
            {
                accepted.Add(offset);
                errors.Add(ErrorCode.None);
            }
        }

        return (accepted, errors);
    }
}
