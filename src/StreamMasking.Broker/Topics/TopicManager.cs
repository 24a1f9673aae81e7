using System.Text.RegularExpressions;
using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Storage;

namespace StreamMasking.Broker.Topics;

/// <summary>
/// All topics of the broker. With a data directory each topic lives in <c>{data}/topics/{name}/</c> with a
/// <c>topic.json</c> and one folder per partition holding the segment files.
/// </summary>
internal sealed partial class TopicManager : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private readonly string? _root;
    private readonly TimeProvider _time;
    private readonly Action _onChange;

    /// <summary>The batch cache shared by every partition (null: no cache).</summary>
    public BatchCache? Cache { get; }

    public TopicManager(string? dataDirectory, TimeProvider time, Action onChange, BatchCache? cache = null)
    {
        Cache = cache;
        _root = dataDirectory is null ? null : Path.Combine(dataDirectory, "topics");
        _time = time;
        _onChange = onChange;
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]{1,249}$")]
    private static partial Regex LegalName();

    public static bool IsValidName(string name) => name is not "." and not ".." && LegalName().IsMatch(name);

    /// <summary>Loads all topics from the data directory. Returns bytes truncated from torn segment tails.</summary>
    public long Recover()
    {
        if (_root is null || !Directory.Exists(_root))
        {
            return 0;
        }

        long truncated = 0;
        foreach (var dir in Directory.GetDirectories(_root))
        {
            var meta = TopicMetadataFile.Load(dir);
            if (meta is null)
            {
                continue;
            }

            var topic = new TopicState(meta.Name, meta.Id, new TopicConfig(meta.Configs), meta.Name.StartsWith("__", StringComparison.Ordinal));
            for (var p = 0; p < meta.Partitions; p++)
            {
                var log = NewLog(topic, p);
                truncated += log.Recover();
                topic.Partitions.Add(log);
            }

            lock (_lock)
            {
                _topics[topic.Name] = topic;
            }
        }

        return truncated;
    }

    public TopicState? Get(string name)
    {
        lock (_lock)
        {
            return _topics.GetValueOrDefault(name);
        }
    }

    public TopicState? GetById(Guid id)
    {
        lock (_lock)
        {
            return _topics.Values.FirstOrDefault(t => t.Id == id);
        }
    }

    public IReadOnlyList<TopicState> All()
    {
        lock (_lock)
        {
            return [.. _topics.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];
        }
    }

    public PartitionLog? GetPartition(string topic, int partition)
    {
        var state = Get(topic);
        return state is not null && partition >= 0 && partition < state.Partitions.Count ? state.Partitions[partition] : null;
    }

    public bool PartitionExists(string topic, int partition) => GetPartition(topic, partition) is not null;

    /// <summary>Creates a topic. Returns the error Kafka's CreateTopics would give, with a message.</summary>
    public (ErrorCode Error, string? Message, TopicState? Topic) Create(string name, int partitions, IReadOnlyDictionary<string, string>? configs, bool validateOnly = false)
    {
        if (!IsValidName(name))
        {
            return (ErrorCode.InvalidTopicException, $"Topic name '{name}' is illegal.", null);
        }

        if (partitions <= 0)
        {
            return (ErrorCode.InvalidPartitions, "Number of partitions must be larger than 0.", null);
        }

        foreach (var (key, value) in configs ?? new Dictionary<string, string>())
        {
            if (TopicConfig.Validate(key, value) is { } problem)
            {
                return (ErrorCode.InvalidConfig, problem, null);
            }
        }

        lock (_lock)
        {
            if (_topics.ContainsKey(name))
            {
                return (ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.", null);
            }

            if (validateOnly)
            {
                return (ErrorCode.None, null, null);
            }

            var topic = new TopicState(name, Guid.NewGuid(), new TopicConfig(configs), name.StartsWith("__", StringComparison.Ordinal));
            if (_root is not null)
            {
                new TopicMetadataFile { Name = name, Id = topic.Id, Partitions = partitions, Configs = new(topic.Config.Overrides) }
                    .Save(TopicDirectory(name));
            }

            for (var p = 0; p < partitions; p++)
            {
                var log = NewLog(topic, p);
                log.Recover();
                topic.Partitions.Add(log);
            }

            _topics[name] = topic;
            return (ErrorCode.None, null, topic);
        }
    }

    /// <summary>Gets a topic, creating it with <paramref name="partitions"/> partitions when absent.</summary>
    public TopicState GetOrCreate(string name, int partitions)
    {
        var (_, _, created) = Create(name, partitions, null);
        return created ?? Get(name) ?? throw new InvalidOperationException($"Topic {name} vanished while being created.");
    }

    public bool Delete(string name)
    {
        TopicState? topic;
        lock (_lock)
        {
            if (!_topics.Remove(name, out topic))
            {
                return false;
            }
        }

        foreach (var log in topic.Partitions)
        {
            log.DeleteFiles();
        }

        if (_root is not null && Directory.Exists(TopicDirectory(name)))
        {
            Directory.Delete(TopicDirectory(name), recursive: true);
        }

        _onChange();
        return true;
    }

    private string TopicDirectory(string name) => Path.Combine(_root!, name);

    private PartitionLog NewLog(TopicState topic, int partition) =>
        new(topic.Name, partition, _root is null ? null : Path.Combine(TopicDirectory(topic.Name), partition.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            () => topic.Config, _time, _onChange, Cache);

    public void Dispose()
    {
        foreach (var topic in All())
        {
            foreach (var log in topic.Partitions)
            {
                log.Dispose();
            }
        }
    }
}
