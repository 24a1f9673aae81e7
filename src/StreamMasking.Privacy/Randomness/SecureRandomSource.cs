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

    private static readonly bool s_useGenerator = FastKeyErasureGenerator.IsSupported;

    private SecureRandomSource()
    {
    }

    /// <summary>The process-wide secure source.</summary>
    public static SecureRandomSource Instance { get; } = new();

    /// <inheritdoc />
    public ulong NextUInt64()
    {
        if (s_useGenerator)
        {
            return (t_generator ??= FastKeyErasureGenerator.FromOperatingSystem()).NextUInt64();
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

        if (s_useGenerator)
        {
            (t_generator ??= FastKeyErasureGenerator.FromOperatingSystem()).NextBytes(destination);
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
