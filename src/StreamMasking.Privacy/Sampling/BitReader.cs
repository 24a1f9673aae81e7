using System.Diagnostics.CodeAnalysis;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Sampling;

/// <summary>
/// Spends random bits sparingly: 16-bit chunks and single bits carved from 64-bit draws, with exact small-range
/// uniforms and exact lazily-decided Bernoulli(a/b) trials (the uniform's chunks are compared with the chunks of a/b,
/// which decides after one chunk with probability 1 − 2^−16). Drawing fewer words is what makes the exact samplers
/// affordable on a cryptographic source. One reader serves one top-level sample on one thread; leftover bits are
/// discarded, so the consumption of a deterministic source stays deterministic.
/// </summary>
internal sealed class BitReader
{
    private const int ChunkBits = 16;
    private const ulong ExactDivisionLimit = 1UL << 48;

    [ThreadStatic]
    private static BitReader? t_reader;

    private ulong _word;
    private int _bitsLeft;

    // The thread's secure generator when Source is SecureRandomSource: the same words, fetched without dispatch.
    private FastKeyErasureGenerator? _generator;

    private BitReader(IRandomSource source) => Bind(source);

    public IRandomSource Source { get; private set; }

    /// <summary>Whether the source is <see cref="SecureRandomSource"/>: fresh noise, never replayed.</summary>
    public bool IsFresh { get; private set; }

    /// <summary>The calling thread's reader, reset to draw from <paramref name="source"/>.</summary>
    public static BitReader For(IRandomSource source)
    {
        var reader = t_reader ??= new BitReader(source);

        // Rebinding only on a change of source: the thread's generator never changes, so a reader left on the secure
        // source is already bound to it (and the stores and the thread-local look-up are skipped).
        if (!ReferenceEquals(reader.Source, source))
        {
            reader.Bind(source);
        }

        reader._bitsLeft = 0;
        return reader;
    }

    public ulong NextChunk()
    {
        if (_bitsLeft < ChunkBits)
        {
            _word = NextWord();
            _bitsLeft = 64;
        }

        var chunk = _word & 0xFFFF;
        _word >>= ChunkBits;
        _bitsLeft -= ChunkBits;
        return chunk;
    }

    /// <summary>32 uniformly random bits.</summary>
    public ulong NextDigit()
    {
        if (_bitsLeft < 32)
        {
            _word = NextWord();
            _bitsLeft = 64;
        }

        var digit = _word & 0xFFFFFFFF;
        _word >>= 32;
        _bitsLeft -= 32;
        return digit;
    }

    public bool NextBit()
    {
        if (_bitsLeft == 0)
        {
            _word = NextWord();
            _bitsLeft = 64;
        }

        var bit = (_word & 1) == 1;
        _word >>= 1;
        _bitsLeft--;
        return bit;
    }

    /// <summary>For tests: the fresh-noise algorithms on this reader's (seeded) source, until it is rebound.</summary>
    internal void UseFreshAlgorithms() => IsFresh = true;

    [MemberNotNull(nameof(Source))]
    private void Bind(IRandomSource source)
    {
        Source = source;
        IsFresh = source is SecureRandomSource;
        _generator = IsFresh ? SecureRandomSource.ThreadGenerator : null;
    }

    /// <summary>The next 64 bits of the source.</summary>
    public ulong NextWord() => _generator is { } generator ? generator.NextUInt64() : Source.NextUInt64();

    /// <summary>Uniform in [0, k) for 1 ≤ k ≤ 2^16 (Lemire's method on 16-bit chunks).</summary>
    public ulong NextBelowSmall(ulong k)
    {
        var product = NextChunk() * k;
        var low = product & 0xFFFF;
        if (low < k)
        {
            var threshold = (0x10000 - k) % k;
            while (low < threshold)
            {
                product = NextChunk() * k;
                low = product & 0xFFFF;
            }
        }

        return product >> ChunkBits;
    }

    /// <summary>Uniform in [0, bound) for any bound ≥ 1.</summary>
    public ulong NextBelow(ulong bound) => bound <= 0x10000 ? NextBelowSmall(bound) : Source.NextBelow(bound);

    /// <summary>Exact Bernoulli(<paramref name="numerator"/> / <paramref name="denominator"/>) for numerator ≤ denominator.</summary>
    public bool Bernoulli(ulong numerator, ulong denominator)
    {
        if (denominator >= ExactDivisionLimit)
        {
            return Source.NextBelow(denominator) < numerator;
        }

        // u < a/b for a uniform u, comparing base-2^16 digits: the first differing digit decides.
        var remainder = numerator;
        while (remainder != 0)
        {
            var shifted = remainder << ChunkBits;
            var digit = shifted / denominator;
            remainder = shifted - (digit * denominator);
            var chunk = NextChunk();
            if (chunk != digit)
            {
                return chunk < digit;
            }
        }

        // a/b's expansion ended and u matched it so far: u ≥ a/b.
        return false;
    }
}
