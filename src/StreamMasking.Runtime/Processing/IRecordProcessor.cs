using Confluent.Kafka;

namespace StreamMasking.Runtime.Processing;

/// <summary>
/// The seam between the transactional loop and what is done with each record. The loop owns consumption,
/// transactions, offsets and error policy; a processor only turns one input record into outputs. A processor with
/// state or timers also implements <see cref="IStatefulProcessor"/>; its state-store changelog is written through the
/// loop's producer, so it joins the same transaction.
/// </summary>
internal interface IRecordProcessor
{
    /// <summary>
    /// Handles one input record. Data problems become dead letters through <paramref name="context"/>; an exception
    /// aborts the whole open transaction and the input is re-read.
    /// </summary>
    void Process(ConsumeResult<byte[]?, byte[]?> record, IProcessorContext context);
}
