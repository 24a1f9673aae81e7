using System.Security.Cryptography;

namespace StreamMasking.Privacy.Randomness;

/// <summary>
/// Cryptographically secure randomness from the operating system (<see cref="RandomNumberGenerator"/>), buffered per
/// thread so that drawing 64 bits costs a copy, not a system call. Thread-safe; use <see cref="Instance"/>.
/// </summary>
public sealed class SecureRandomSource : IRandomSource
{
    private const int BufferSize = 16384;

    // Per-thread buffers: the OS generator is thread-safe but a buffer is not, and a lock would dominate the cost.
    [ThreadStatic]
    private static ThreadBuffer? t_buffer;

    private SecureRandomSource()
    {
    }

    /// <summary>The process-wide secure source.</summary>
    public static SecureRandomSource Instance { get; } = new();

    /// <inheritdoc />
    public ulong NextUInt64()
    {
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
