using System.Globalization;

namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// Identity of one paid release: the window it belongs to and a name unique inside that window (for example
/// "metric/policy-version/aggregate"). A replay of the same release presents the same key and is never charged twice.
/// </summary>
public readonly record struct ReleaseKey
{
    /// <summary>Maximum UTF-8 length of <see cref="Name"/> (keeps persisted ledger state bounded).</summary>
    public const int MaxNameBytes = 512;

    /// <summary>Creates a key; the name must be non-empty and at most <see cref="MaxNameBytes"/> UTF-8 bytes.</summary>
    public ReleaseKey(long window, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            throw new ArgumentException($"Release name exceeds {MaxNameBytes} UTF-8 bytes.", nameof(name));
        }

        Window = window;
        Name = name;
    }

    /// <summary>The window (e.g. tumbling-window index) the release pays from.</summary>
    public long Window { get; }

    /// <summary>The release's name inside its window.</summary>
    public string Name { get; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Window}/{Name}");
}
