using System.Text.Json;

namespace StreamMasking.Broker.Topics;

/// <summary>The <c>topic.json</c> persisted in each topic directory of the data dir.</summary>
internal sealed class TopicMetadataFile
{
    public const string FileName = "topic.json";

    public string Name { get; set; } = "";

    public Guid Id { get; set; }

    public int Partitions { get; set; }

    public Dictionary<string, string> Configs { get; set; } = [];

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this));
        File.Move(temp, path, overwrite: true);
    }

    public static TopicMetadataFile? Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<TopicMetadataFile>(File.ReadAllText(path)) : null;
    }
}
