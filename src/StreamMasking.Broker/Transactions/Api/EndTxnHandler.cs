using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Transactions.Api;

/// <summary>EndTxn (26) v0-3: commit or abort; answered after every marker is written.</summary>
internal sealed class EndTxnHandler(TransactionCoordinator coordinator) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.EndTxn;

    public short MinVersion => 0;

    public short MaxVersion => 3;

    public short FlexibleFromVersion => 3;

    public async ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var transactionalId = reader.ReadString(f);
        var producerId = reader.ReadInt64();
        var epoch = reader.ReadInt16();
        var commit = reader.ReadBool();
        reader.SkipTaggedFields(f);
        var error = context.Broker.Faults.TryTakeError(ApiKey, out var injected)
            ? injected
            : await coordinator.EndTransactionAsync(transactionalId, producerId, epoch, commit).WaitAsync(cancellationToken).ConfigureAwait(false);
        writer.WriteInt32(0);
        writer.WriteInt16((short)FencingErrors.ForVersion(error, v, 2));
        writer.WriteEmptyTaggedFields(f);
        return true;
    }
}
