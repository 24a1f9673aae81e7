using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace StreamMasking.Privacy.Randomness;

/// <summary>
/// Cryptographically secure randomness for fresh (never replayed) noise. With AES-NI each thread draws from its own
/// <see cref="FastKeyErasureGenerator"/> (AES-256-CTR with fast key erasure, seeded with 256 bits from
/// <see cref="RandomNumberGenerator"/> when the thread first draws), so 64 bits cost a few nanoseconds and no system
/// call; without AES-NI it serves the operating system's generator through a per-thread buffer. Thread-safe; use
/// <see cref="Instance"/>.
/// </summary>
public sealed class SecureRandomSource : IRandomSource
{
    private const int BufferSize = 16384;

    // Per-thread state: a generator or buffer is not thread-safe, and a lock would dominate the cost.
    [ThreadStatic]
    private static FastKeyErasureGenerator? t_generator;

    [ThreadStatic]
    private static ThreadBuffer? t_buffer;

    private SecureRandomSource()
    {
    }

    /// <summary>The process-wide secure source.</summary>
    public static SecureRandomSource Instance { get; } = new();

    /// <summary>
    /// The calling thread's generator (created on first use), or null without AES-NI. Drawing from it directly gives
    /// exactly the words <see cref="NextUInt64"/> would, without the interface call and thread-local look-up per word.
    /// </summary>
    internal static FastKeyErasureGenerator? ThreadGenerator =>
        FastKeyErasureGenerator.IsSupported ? Generator() : null;

    /// <inheritdoc />
    public ulong NextUInt64()
    {
        if (FastKeyErasureGenerator.IsSupported)
        {
            return Generator().NextUInt64();
        }

        var buffer = t_buffer ??= new ThreadBuffer();
        if (buffer.Position > BufferSize - sizeof(ulong))
        {
            buffer.Refill();
        }

        var value = BitConverter.ToUInt64(buffer.Bytes, buffer.Position);
        buffer.Position += sizeof(ulong);
        return value;
    }

    /// <inheritdoc />
    public void NextBytes(Span<byte> destination)
    {
        if (destination.Length >= BufferSize / 4)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }

        if (FastKeyErasureGenerator.IsSupported)
        {
            Generator().NextBytes(destination);
            return;
        }

        var buffer = t_buffer ??= new ThreadBuffer();
        while (!destination.IsEmpty)
        {
            if (buffer.Position >= BufferSize)
            {
                buffer.Refill();
            }

            var take = Math.Min(destination.Length, BufferSize - buffer.Position);
            buffer.Bytes.AsSpan(buffer.Position, take).CopyTo(destination);
            buffer.Position += take;
            destination = destination[take..];
        }
    }

    private static FastKeyErasureGenerator Generator() => t_generator ?? CreateGenerator();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static FastKeyErasureGenerator CreateGenerator() => t_generator = FastKeyErasureGenerator.FromOperatingSystem();

    private sealed class ThreadBuffer
    {
        public byte[] Bytes { get; } = new byte[BufferSize];

        public int Position { get; set; } = BufferSize;

        public void Refill()
        {
            RandomNumberGenerator.Fill(Bytes);
            Position = 0;
        }
    }
}
