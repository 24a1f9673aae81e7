using Confluent.Kafka;

namespace StreamMasking.Runtime.Windowing;

/// <summary>Partition counts from cluster metadata, for the ownership checks at assignment.</summary>
internal static class TopicLayout
{
    private const int Attempts = 3;

    /// <summary>
    /// The partition count of <paramref name="topic"/>: 0 when the topic does not exist; -1 when the metadata could
    /// not be read after a few attempts (the caller fails closed).
    /// </summary>
    internal static int PartitionCount(IAdminClient admin, string topic, TimeSpan timeout)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var found = admin.GetMetadata(topic, timeout).Topics.SingleOrDefault(t => t.Topic == topic);
                if (found is null || found.Error.Code == ErrorCode.UnknownTopicOrPart)
                {
                    return 0;
                }

                if (!found.Error.IsError)
                {
                    return found.Partitions.Count;
                }
            }
            catch (KafkaException) when (attempt < Attempts)
            {
                // Transient (leader election, coordinator load): ask again.
            }
            catch (KafkaException)
            {
                return -1;
            }

            if (attempt >= Attempts)
            {
                return -1;
            }
        }
    }
}
