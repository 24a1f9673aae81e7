using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace StreamMasking.Broker.Groups.Persistence;

/// <summary>
/// Append-only journal of JSON lines: the coordinators' durable state (committed offsets, transaction state, producer-id
/// blocks). Each append is flushed to the operating system before the request is answered, so a killed broker process
/// loses nothing it acknowledged. A torn last line (crash mid-write) is ignored on replay. On open, and whenever the
/// records appended since the last snapshot far outnumber the live state, the journal is rewritten as a snapshot.
/// </summary>
internal sealed class JsonLineJournal<T> : IDisposable
{
    private readonly string _path;
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly Lock _sync = new();
    private FileStream _stream;

    private JsonLineJournal(string path, JsonTypeInfo<T> typeInfo, FileStream stream)
    {
        _path = path;
        _typeInfo = typeInfo;
        _stream = stream;
    }

    /// <summary>Reads every complete record of the journal at <paramref name="path"/> (none if it does not exist).</summary>
    public static List<T> ReadAll(string path, JsonTypeInfo<T> typeInfo)
    {
        var records = new List<T>();
        if (!File.Exists(path))
        {
            return records;
        }

        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                var record = JsonSerializer.Deserialize(line, typeInfo);
                if (record is not null)
                {
                    records.Add(record);
                }
            }
            catch (JsonException)
            {
                // A torn final line from a crash mid-append: everything before it is intact.
                break;
            }
        }

        return records;
    }

    /// <summary>Records appended since the journal was last rewritten as a snapshot.</summary>
    public int AppendsSinceSnapshot { get; private set; }

    /// <summary>Replaces the journal with <paramref name="snapshot"/> (atomically) and opens it for appending.</summary>
    public static JsonLineJournal<T> OpenWithSnapshot(string path, JsonTypeInfo<T> typeInfo, IEnumerable<T> snapshot)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new JsonLineJournal<T>(path, typeInfo, WriteSnapshot(path, typeInfo, snapshot));
    }

    /// <summary>Rewrites the journal as <paramref name="snapshot"/> (the complete live state).</summary>
    public void Compact(IEnumerable<T> snapshot)
    {
        lock (_sync)
        {
            _stream.Dispose();
            _stream = WriteSnapshot(_path, _typeInfo, snapshot);
            AppendsSinceSnapshot = 0;
        }
    }

    public void Append(T record)
    {
        lock (_sync)
        {
            WriteLine(_stream, record, _typeInfo);
            _stream.Flush();
            AppendsSinceSnapshot++;
        }
    }

    public void AppendRange(IEnumerable<T> records)
    {
        lock (_sync)
        {
            foreach (var record in records)
            {
                WriteLine(_stream, record, _typeInfo);
                AppendsSinceSnapshot++;
            }

            _stream.Flush();
        }
    }

    public override string ToString() => _path;

    public void Dispose()
    {
        lock (_sync)
        {
            _stream.Dispose();
        }
    }

    private static FileStream WriteSnapshot(string path, JsonTypeInfo<T> typeInfo, IEnumerable<T> snapshot)
    {
        var temp = path + ".tmp";
        using (var writer = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var record in snapshot)
            {
                WriteLine(writer, record, typeInfo);
            }

            writer.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    private static void WriteLine(Stream stream, T record, JsonTypeInfo<T> typeInfo)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(record, typeInfo);
        var line = new byte[bytes.Length + 1];
        bytes.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        stream.Write(line);
    }
}
