using Avro;

namespace StreamMasking.Testing.SchemaRegistry;

/// <summary>
/// Subjects, versions and globally numbered schemas of the test registry. The same schema (by Avro canonical form)
/// keeps one id across subjects, as in Confluent's registry. Thread-safe.
/// </summary>
internal sealed class RegistryStore
{
    private readonly object _gate = new();
    private readonly List<string> _schemas = []; // id - 1 → schema text
    private readonly Dictionary<string, int> _idByCanonical = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _versions = new(StringComparer.Ordinal); // subject → ids by version

    public sealed record Version(string Subject, int Number, int Id, string Schema);

    public int Register(string subject, string schemaText)
    {
        var schema = Parse(schemaText);
        lock (_gate)
        {
            var canonical = schema.ToString();
            if (_versions.TryGetValue(subject, out var ids))
            {
                var existing = ids.FirstOrDefault(id => Parse(_schemas[id - 1]).ToString() == canonical);
                if (existing != 0)
                {
                    return existing;
                }

                // Backward (the registry's default): the new schema must read data written with the latest one.
                if (!schema.CanRead(Parse(_schemas[ids[^1] - 1])))
                {
                    throw new RegistryError(409, RegistryError.Incompatible,
                        $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\"");
                }
            }

            if (!_idByCanonical.TryGetValue(canonical, out var newId))
            {
                _schemas.Add(schemaText);
                newId = _schemas.Count;
                _idByCanonical[canonical] = newId;
            }

            if (ids is null)
            {
                _versions[subject] = ids = [];
            }

            ids.Add(newId);
            return newId;
        }
    }

    public Version Lookup(string subject, string schemaText)
    {
        var canonical = Parse(schemaText).ToString();
        lock (_gate)
        {
            var ids = Ids(subject);
            for (var i = 0; i < ids.Count; i++)
            {
                if (Parse(_schemas[ids[i] - 1]).ToString() == canonical)
                {
                    return new Version(subject, i + 1, ids[i], _schemas[ids[i] - 1]);
                }
            }

            throw new RegistryError(404, RegistryError.SchemaNotFound, "Schema not found");
        }
    }

    public string SchemaById(int id)
    {
        lock (_gate)
        {
            return id >= 1 && id <= _schemas.Count
                ? _schemas[id - 1]
                : throw new RegistryError(404, RegistryError.SchemaNotFound, "Schema " + id + " not found");
        }
    }

    public IReadOnlyList<string> Subjects()
    {
        lock (_gate)
        {
            return [.. _versions.Keys.Order(StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<int> Versions(string subject)
    {
        lock (_gate)
        {
            return [.. Enumerable.Range(1, Ids(subject).Count)];
        }
    }

    public Version Get(string subject, string version)
    {
        lock (_gate)
        {
            var ids = Ids(subject);
            int number;
            if (version == "latest")
            {
                number = ids.Count;
            }
            else if (!int.TryParse(version, out number) || number < 1)
            {
                throw new RegistryError(422, RegistryError.InvalidVersion, "The specified version '" + version + "' is not a valid version id");
            }

            return number <= ids.Count
                ? new Version(subject, number, ids[number - 1], _schemas[ids[number - 1] - 1])
                : throw new RegistryError(404, RegistryError.VersionNotFound, "Version " + version + " not found.");
        }
    }

    public bool IsCompatibleWithLatest(string subject, string schemaText)
    {
        var schema = Parse(schemaText);
        lock (_gate)
        {
            var ids = Ids(subject);
            return schema.CanRead(Parse(_schemas[ids[^1] - 1]));
        }
    }

    private List<int> Ids(string subject) => _versions.TryGetValue(subject, out var ids)
        ? ids
        : throw new RegistryError(404, RegistryError.SubjectNotFound, "Subject '" + subject + "' not found.");

    private static Schema Parse(string text)
    {
        try
        {
            return Schema.Parse(text) ?? throw new RegistryError(422, RegistryError.InvalidSchema, "Invalid schema");
        }
        catch (Exception e) when (e is not RegistryError)
        {
            throw new RegistryError(422, RegistryError.InvalidSchema, "Invalid schema: " + e.Message);
        }
    }
}
