using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Tests.Sampling;

/// <summary>Serves the given words in order and fails when they run out: forces a sampler down a chosen branch.</summary>
internal sealed class ScriptedRandomSource(params ulong[] words) : IRandomSource
{
    private int _next;

    public ulong NextUInt64() =>
        _next < words.Length ? words[_next++] : throw new InvalidOperationException("The script has no more words.");

    public void NextBytes(Span<byte> destination) => throw new NotSupportedException();
}
