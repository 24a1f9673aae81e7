using System.Security.Cryptography;

namespace StreamMasking.Privacy.Randomness;

/// <summary>
/// Cryptographically secure randomness from the operating system (<see cref="RandomNumberGenerator"/>), buffered per
/// thread so that drawing 64 bits costs a copy, not a system call. Thread-safe; use <see cref="Instance"/>.
/// </summary>
public sealed class SecureRandomSource : IRandomSource
{
    private const int BufferSize = 16384;

    // Per-thread buffers: the OS generator is thread-safe but the buffer is not, and a lock would dominate the cost.
    [ThreadStatic]
    private static byte[]? t_buffer;

    [ThreadStatic]
    private static int t_position;

    private SecureRandomSource()
    {
    }

    /// <summary>The process-wide secure source.</summary>
    public static SecureRandomSource Instance { get; } = new();

    /// <inheritdoc />
    public ulong NextUInt64()
    {
        var buffer = t_buffer;
        var position = t_position;
        if (buffer is null || position > BufferSize - sizeof(ulong))
        {
            buffer = Refill();
            position = 0;
        }

        t_position = position + sizeof(ulong);
        return BitConverter.ToUInt64(buffer, position);
    }

    /// <inheritdoc />
    public void NextBytes(Span<byte> destination)
    {
        if (destination.Length >= BufferSize / 4)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }

        while (!destination.IsEmpty)
        {
            var buffer = t_buffer;
            if (buffer is null || t_position >= BufferSize)
            {
                buffer = Refill();
                t_position = 0;
            }

            var take = Math.Min(destination.Length, BufferSize - t_position);
            buffer.AsSpan(t_position, take).CopyTo(destination);
            t_position += take;
            destination = destination[take..];
        }
    }

    private static byte[] Refill()
    {
        var buffer = t_buffer ??= new byte[BufferSize];
        RandomNumberGenerator.Fill(buffer);
        return buffer;
    }
}
