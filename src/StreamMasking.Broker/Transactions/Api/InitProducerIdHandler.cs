using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Transactions.Api;

/// <summary>InitProducerId (22) v0-4: producer ids for idempotent producers, ids and epochs for transactional ones.</summary>
internal sealed class InitProducerIdHandler(TransactionCoordinator coordinator) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.InitProducerId;

    public short MinVersion => 0;

    public short MaxVersion => 4;

    public short FlexibleFromVersion => 2;

    public async ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var transactionalId = reader.ReadNullableString(f);
        var timeoutMs = reader.ReadInt32();
        var producerId = v >= 3 ? reader.ReadInt64() : -1;
        var epoch = v >= 3 ? reader.ReadInt16() : (short)-1;
        reader.SkipTaggedFields(f);
        var result = context.Broker.Faults.TryTakeError(ApiKey, out var injected)
            ? (injected, -1L, (short)-1)
            : await coordinator.InitProducerIdAsync(transactionalId, timeoutMs, producerId, epoch).WaitAsync(cancellationToken).ConfigureAwait(false);
        writer.WriteInt32(0);
        writer.WriteInt16((short)FencingErrors.ForVersion(result.Item1, v, 4));
        writer.WriteInt64(result.Item2);
        writer.WriteInt16(result.Item3);
        writer.WriteEmptyTaggedFields(f);
        return true;
    }
}
