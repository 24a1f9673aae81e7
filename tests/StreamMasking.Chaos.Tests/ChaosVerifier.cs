using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace StreamMasking.Chaos.Tests;

/// <summary>
/// What must hold after any sequence of crashes, freezes and broker restarts, read as a downstream consumer reads
/// (read_committed). Every violation is collected with enough detail to debug it; an empty list is a pass.
/// </summary>
internal sealed class ChaosVerifier
{
    private readonly string _bootstrapServers;
    private readonly ChaosTopology _topology;

    internal ChaosVerifier(string bootstrapServers, ChaosTopology topology)
    {
        _bootstrapServers = bootstrapServers;
        _topology = topology;
    }

    internal List<string> Violations { get; } = [];

    internal VerifiedRun Verify(TimeSpan readTimeout)
    {
        var inputs = CommittedLog.Read(_bootstrapServers, _topology.InputTopic, readTimeout);
        var inputCoordinates = inputs.Select(r => $"{r.Topic}/{r.Partition.Value}/{r.Offset.Value}").ToHashSet(StringComparer.Ordinal);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        long published = 0;
        foreach (var topic in _topology.MaskedTopics)
        {
            var masked = CommittedLog.Read(_bootstrapServers, topic, readTimeout);
            published += masked.Count;
            foreach (var record in masked)
            {
                var source = $"{Header(record, "sm-source-topic")}/{Header(record, "sm-source-partition")}/{Header(record, "sm-source-offset")}";
                Claim(seen, source, $"{topic}/{record.Partition.Value}/{record.Offset.Value}");
            }

            CheckPerKeyOrder(topic, masked);
        }

        var deadLetters = CommittedLog.Read(_bootstrapServers, _topology.DeadLetterTopic, readTimeout);
        foreach (var record in deadLetters)
        {
            Claim(seen, Encoding.UTF8.GetString(record.Message.Key!), $"dlq/{record.Partition.Value}/{record.Offset.Value}");
        }

        foreach (var missing in inputCoordinates.Where(c => !seen.ContainsKey(c)).Take(5))
        {
            Violations.Add($"input {missing} is in no masked topic and not dead-lettered (lost)");
        }

        foreach (var extra in seen.Keys.Where(c => !inputCoordinates.Contains(c)).Take(5))
        {
            Violations.Add($"output for {extra}, which is no committed input");
        }

        // Nothing is deliberately dropped by the chaos policy, so the invariant is consumed = published + dead-lettered.
        if (inputs.Count != published + deadLetters.Count)
        {
            Violations.Add($"consumed {inputs.Count} != published {published} + dead-lettered {deadLetters.Count}");
        }

        var releases = Releases();
        var suppressed = CheckBudgets(releases);
        var open = CommittedLog.OpenTransactions(_bootstrapServers, CommittedLog.TopicsOf(_bootstrapServers, _topology.Prefix).Append(_topology.InputTopic));
        Violations.AddRange(open.Select(o => "transaction left open on " + o));
        return new VerifiedRun(inputs.Count, published, deadLetters.Count, releases, suppressed);
    }

    private void Claim(Dictionary<string, string> seen, string source, string output)
    {
        if (!seen.TryAdd(source, output))
        {
            Violations.Add($"input {source} published twice: {seen[source]} and {output}");
        }
    }

    private void CheckPerKeyOrder(string topic, List<ConsumeResult<byte[]?, byte[]?>> masked)
    {
        foreach (var partition in masked.GroupBy(r => r.Partition.Value))
        {
            var last = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var record in partition.OrderBy(r => r.Offset.Value))
            {
                using var json = TryParse(record.Message.Value);
                if (json is null || json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("key", out var key) || !json.RootElement.TryGetProperty("seq", out var seq)
                    || key.GetString() == "flush")
                {
                    continue;
                }

                var k = key.GetString()!;
                var s = seq.GetInt32();
                if (last.TryGetValue(k, out var previous) && s <= previous)
                {
                    Violations.Add($"{topic}/{partition.Key}: key {k} seq {s} after {previous} (order broken)");
                }

                last[k] = s;
            }
        }
    }

    /// <summary>Committed releases by (segment, aggregate, continual, window), each at most once.</summary>
    private Dictionary<string, string> Releases()
    {
        var releases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in CommittedLog.Read(_bootstrapServers, _topology.AggregatesTopic, TimeSpan.FromMinutes(1)))
        {
            var text = Encoding.UTF8.GetString(record.Message.Value!);
            using var json = JsonDocument.Parse(text);
            var key = ReleaseIdentity(json.RootElement);
            if (!releases.TryAdd(key, text))
            {
                Violations.Add($"release {key} committed twice{(releases[key] == text ? " (identical bytes)" : " (different values)")}");
            }
        }

        return releases;
    }

    internal static string ReleaseIdentity(JsonElement release) => string.Create(CultureInfo.InvariantCulture,
        $"{release.GetProperty("segment").GetString()}/{release.GetProperty("aggregate").GetString()}/{(release.GetProperty("continual").GetBoolean() ? "continual" : "window")}/{release.GetProperty("window").GetProperty("index").GetInt64()}");

    /// <summary>
    /// Audit events: no id twice; per segment the debits never exceed the lifetime cap and add up to the ledger's
    /// last lifetime spend; every debit pays for a committed release (so the ledger's total is the sum of what the
    /// released aggregates cost); a suppressed release was not emitted. Returns the suppressed release identities.
    /// </summary>
    private HashSet<string> CheckBudgets(Dictionary<string, string> releases)
    {
        var events = CommittedLog.Read(_bootstrapServers, _topology.AuditTopic, TimeSpan.FromMinutes(1))
            .Select(r => JsonDocument.Parse(r.Message.Value!).RootElement.Clone()).ToList();
        foreach (var duplicate in events.GroupBy(e => e.GetProperty("id").GetString()).Where(g => g.Count() > 1).Take(5))
        {
            Violations.Add($"audit event {duplicate.Key} ({duplicate.First().GetProperty("type").GetString()}) committed {duplicate.Count()} times");
        }

        var debits = events.Where(e => e.GetProperty("type").GetString() == "io.streammasking.budget.debit").Select(e => e.GetProperty("data")).ToList();
        foreach (var segment in debits.GroupBy(d => d.GetProperty("segment").GetString()!))
        {
            var charged = segment.Sum(d => d.GetProperty("charged").GetProperty("epsilon").GetDouble());
            var cap = segment.First().GetProperty("lifetimeCap").GetProperty("epsilon").GetDouble();
            var ledger = segment.Max(d => d.GetProperty("lifetimeSpend").GetProperty("epsilon").GetDouble());
            if (charged > cap * (1 + 1e-9))
            {
                Violations.Add(string.Create(CultureInfo.InvariantCulture, $"segment {segment.Key}: debits sum to ε {charged} over the lifetime cap {cap}"));
            }

            if (Math.Abs(charged - ledger) > 1e-6 * Math.Max(1, ledger))
            {
                Violations.Add(string.Create(CultureInfo.InvariantCulture, $"segment {segment.Key}: audited debits ε {charged} but the ledger says {ledger}"));
            }
        }

        var suppressedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in events.Where(e => e.GetProperty("type").GetString() == "io.streammasking.release.suppressed").Select(e => e.GetProperty("data")))
        {
            var key = ReleaseIdentity(s);
            suppressedKeys.Add(key);
            if (releases.ContainsKey(key))
            {
                Violations.Add($"release {key} was both suppressed and emitted");
            }
        }

        var released = events.Where(e => e.GetProperty("type").GetString() == "io.streammasking.release").Select(e => e.GetProperty("data")).ToList();
        if (released.Count != releases.Count)
        {
            Violations.Add($"{releases.Count} releases on the aggregates topic but {released.Count} release audit events");
        }

        var releaseKeys = released.Select(r => r.GetProperty("releaseKey").GetString()).ToHashSet(StringComparer.Ordinal);
        foreach (var debit in debits.Where(d => !releaseKeys.Contains(d.GetProperty("releaseKey").GetString())).Take(5))
        {
            Violations.Add($"budget debit for {debit.GetProperty("releaseKey").GetString()} pays for no committed release");
        }

        return suppressedKeys;
    }

    private static JsonDocument? TryParse(byte[]? value)
    {
        try
        {
            return value is null ? null : JsonDocument.Parse(value);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Header(ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers?.TryGetLastBytes(name, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : "?";
}

/// <summary>What a verified run consumed and released.</summary>
internal sealed record VerifiedRun(long Consumed, long Published, long DeadLettered, Dictionary<string, string> Releases, HashSet<string> Suppressed);
