using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Transactions.Api;

/// <summary>AddOffsetsToTxn (25) v0-3: the transaction will commit offsets of this group (SendOffsetsToTransaction).</summary>
internal sealed class AddOffsetsToTxnHandler(TransactionCoordinator coordinator) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.AddOffsetsToTxn;

    public short MinVersion => 0;

    public short MaxVersion => 3;

    public short FlexibleFromVersion => 3;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var transactionalId = reader.ReadString(f);
        var producerId = reader.ReadInt64();
        var epoch = reader.ReadInt16();
        var groupId = reader.ReadString(f);
        reader.SkipTaggedFields(f);
        var error = context.Broker.Faults.TryTakeError(ApiKey, out var injected)
            ? injected
            : coordinator.AddOffsets(transactionalId, producerId, epoch, groupId);
        writer.WriteInt32(0);
        writer.WriteInt16((short)FencingErrors.ForVersion(error, v, 2));
        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }
}
