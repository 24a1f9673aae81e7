namespace StreamMasking.Testing;

/// <summary>The repository's root directory: the first directory above the test binary that holds StreamMasking.slnx.</summary>
public static class RepositoryRoot
{
    /// <summary>The root directory's full path.</summary>
    public static string Directory { get; } = Find();

    /// <summary>A path below the root, e.g. <c>Of("policies", "demo.yaml")</c>.</summary>
    public static string Of(params string[] parts) => Path.Combine([Directory, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StreamMasking.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (StreamMasking.slnx) not found above " + AppContext.BaseDirectory);
    }
}
