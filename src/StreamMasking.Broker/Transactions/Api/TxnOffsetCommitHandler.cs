using StreamMasking.Broker.Groups;
using StreamMasking.Broker.Groups.Api;
using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Transactions.Api;

/// <summary>
/// TxnOffsetCommit (28) v0-3: offsets staged in the group coordinator, committed only when the transaction commits.
/// v3 carries the consumer's generation and member id so a zombie consumer's offsets are rejected.
/// </summary>
internal sealed class TxnOffsetCommitHandler(TransactionCoordinator transactions, GroupCoordinator groups) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.TxnOffsetCommit;

    public short MinVersion => 0;

    public short MaxVersion => 3;

    public short FlexibleFromVersion => 3;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var transactionalId = reader.ReadString(f);
        var groupId = reader.ReadString(f);
        var producerId = reader.ReadInt64();
        var epoch = reader.ReadInt16();
        var generationId = v >= 3 ? reader.ReadInt32() : -1;
        var memberId = v >= 3 ? reader.ReadString(f) : string.Empty;
        var instanceId = v >= 3 ? reader.ReadNullableString(f) : null;
        var now = context.Broker.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var topics = OffsetCodec.ReadCommitTopics(reader, f, now, leaderEpochFromVersion: v >= 2, commitTimestamp: false);
        reader.SkipTaggedFields(f);
        var flat = topics.SelectMany(t => t.Offsets).ToList();
        IReadOnlyList<ErrorCode> errors;
        if (context.Broker.Faults.TryTakeError(ApiKey, out var injected))
        {
            errors = flat.Select(_ => injected).ToList();
        }
        else
        {
            var error = FencingErrors.ForVersion(transactions.ValidateTxnOffsetCommit(transactionalId, producerId, epoch, groupId), v, 3);
            errors = error == ErrorCode.None
                ? groups.StageTransactionalOffsets(groupId, producerId, generationId, memberId, instanceId, flat)
                : flat.Select(_ => error).ToList();
        }

        writer.WriteInt32(0);
        OffsetCodec.WritePartitionErrors(writer, f, topics, errors);
        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }
}
