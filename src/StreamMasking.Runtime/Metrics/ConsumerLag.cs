using System.Text.Json;

namespace StreamMasking.Runtime.Metrics;

/// <summary>Reads per-topic consumer lag out of librdkafka's statistics JSON.</summary>
internal static class ConsumerLag
{
    /// <summary>
    /// Sums <c>consumer_lag</c> over the partitions this consumer fetches (<c>fetch_state</c> active), per topic. With
    /// read_committed librdkafka computes it against the last stable offset. Unknown lags (-1) count as 0.
    /// </summary>
    internal static Dictionary<string, long> PerTopic(string json)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("topics", out var topics) || topics.ValueKind != JsonValueKind.Object)
            {
                return result;
            }

            foreach (var topic in topics.EnumerateObject())
            {
                long sum = 0;
                var assigned = false;
                if (topic.Value.TryGetProperty("partitions", out var partitions) && partitions.ValueKind == JsonValueKind.Object)
                {
                    foreach (var partition in partitions.EnumerateObject())
                    {
                        // "-1" is librdkafka's internal UA (unassigned) partition.
                        if (partition.Name == "-1" || !IsFetching(partition.Value))
                        {
                            continue;
                        }

                        assigned = true;
                        if (partition.Value.TryGetProperty("consumer_lag", out var lag) && lag.TryGetInt64(out var value) && value > 0)
                        {
                            sum += value;
                        }
                    }
                }

                if (assigned)
                {
                    result[topic.Name] = sum;
                }
            }
        }
        catch (JsonException)
        {
            // A statistics document we cannot read changes nothing.
        }

        return result;
    }

    private static bool IsFetching(JsonElement partition) =>
        partition.TryGetProperty("fetch_state", out var state) && state.GetString() is { } s && s != "none" && s != "stopped";
}
