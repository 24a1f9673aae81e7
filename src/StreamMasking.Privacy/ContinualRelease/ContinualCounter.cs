using System.Security.Cryptography;
using System.Text;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>
/// Creates and restores continual-release counters. A counter runs epochs of fixed-horizon counters: one epoch for
/// <see cref="HorizonPolicy.Fixed"/>, doubling epochs (T, 2T, 4T, … capped at 2^20) for
/// <see cref="HorizonPolicy.Doubling"/>, where each epoch's output is offset by the last total released before it
/// (post-processing of released values, so the offset costs no privacy).
/// </summary>
/// <remarks>
/// State layout (v1, little-endian): version byte; 16-byte key fingerprint (HMAC-SHA256 of a fixed label under the
/// noise key: restoring under another key fails instead of silently drawing fresh noise for replayed steps); options (counter id as length-prefixed UTF-8, mechanism,
/// log2 horizon, sensitivity, budget kind + ε + ρ, horizon policy, epoch split); epoch index (int32); carried offset
/// (double); steps before the current epoch (int64); the epoch counter's own state. The noise key is never stored.
/// </remarks>
public sealed class ContinualCounter : IContinualCounter
{
    private const byte StateVersion = 1;
    private const int FingerprintBytes = 16;
    private static readonly byte[] s_fingerprintLabel = Encoding.UTF8.GetBytes("StreamMasking.ContinualCounter/key-fingerprint/v1");
    private readonly byte[] _key;
    private IEpochCounter _epoch;
    private double _offset;
    private long _stepsBefore;
    private double _lastOutput;

    private ContinualCounter(ContinualCounterOptions options, ReadOnlySpan<byte> noiseKey)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _key = noiseKey.ToArray();
        _epoch = CreateEpoch(0);
    }

    public ContinualCounterOptions Options { get; }

    public long Steps => _stepsBefore + _epoch.Steps;

    public long Capacity => Options.Horizon == HorizonPolicy.Fixed ? 1L << Options.Log2Horizon : long.MaxValue;

    /// <summary>
    /// The configured budget: under step-level neighbouring, parallel epochs touch disjoint steps and geometric
    /// epochs sum to at most the budget, so either way the whole (unbounded) release costs exactly this.
    /// </summary>
    public PrivacyCost Cost => Options.Budget;

    /// <summary>Creates a counter whose noise is keyed by <paramref name="noiseKey"/> (secret, ≥ 16 bytes).</summary>
    public static IContinualCounter Create(ContinualCounterOptions options, ReadOnlySpan<byte> noiseKey) =>
        new ContinualCounter(options, noiseKey);

    /// <summary>Restores a counter from <see cref="ToBytes"/>; it continues exactly as the original would have.</summary>
    public static IContinualCounter Restore(ReadOnlySpan<byte> state, ReadOnlySpan<byte> noiseKey)
    {
        try
        {
            using var stream = new MemoryStream(state.ToArray(), writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadByte() != StateVersion)
            {
                throw new FormatException("Unsupported counter state version.");
            }

            // Why: a replayed step must get exactly the noise it got before; under a different key it would not.
            if (!CryptographicOperations.FixedTimeEquals(reader.ReadBytes(FingerprintBytes), Fingerprint(noiseKey)))
            {
                throw new FormatException("The counter state was written under a different noise key.");
            }

            var options = ReadOptions(reader);
            var counter = new ContinualCounter(options, noiseKey);
            var epoch = reader.ReadInt32();
            if (epoch < 0 || (epoch > 0 && options.Horizon == HorizonPolicy.Fixed))
            {
                throw new FormatException("Counter epoch out of range.");
            }

            counter._epoch = counter.CreateEpoch(epoch);
            counter._offset = reader.ReadDouble();
            counter._stepsBefore = reader.ReadInt64();
            counter._lastOutput = reader.ReadDouble();
            counter._epoch.ReadState(reader);
            if (stream.Position != stream.Length)
            {
                throw new FormatException("Trailing bytes after counter state.");
            }

            return counter;
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or OverflowException)
        {
            throw new FormatException("Corrupt counter state.", e);
        }
    }

    public double Release(double value)
    {
        if (_epoch.Steps >= _epoch.Spec.Horizon)
        {
            if (Options.Horizon == HorizonPolicy.Fixed)
            {
                throw new InvalidOperationException("The counter's horizon is exhausted.");
            }

            // Doubling: the new epoch starts from the last released total (post-processing).
            _stepsBefore += _epoch.Steps;
            _offset = _lastOutput;
            _epoch = CreateEpoch(_epoch.Spec.Epoch + 1);
        }

        _lastOutput = _offset + _epoch.Release(value);
        return _lastOutput;
    }

    public double Variance(long atStep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(atStep, 1);
        var variance = 0.0;
        var start = 0L;
        for (var epoch = 0; ; epoch++)
        {
            var counter = epoch == _epoch.Spec.Epoch ? _epoch : CreateEpoch(epoch);
            var horizon = counter.Spec.Horizon;
            if (atStep <= start + horizon)
            {
                return variance + counter.Variance(atStep - start);
            }

            if (Options.Horizon == HorizonPolicy.Fixed)
            {
                throw new ArgumentOutOfRangeException(nameof(atStep), "Step beyond the counter's horizon.");
            }

            // The carried offset is the previous epoch's final output, with its noise.
            variance += counter.Variance(horizon);
            start += horizon;
        }
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(StateVersion);
            writer.Write(Fingerprint(_key));
            WriteOptions(writer, Options);
            writer.Write(_epoch.Spec.Epoch);
            writer.Write(_offset);
            writer.Write(_stepsBefore);
            writer.Write(_lastOutput);
            _epoch.WriteState(writer);
        }

        return stream.ToArray();
    }

    internal IEpochCounter CurrentEpoch => _epoch;

    private static byte[] Fingerprint(ReadOnlySpan<byte> key) =>
        HMACSHA256.HashData(key, s_fingerprintLabel).AsSpan(0, FingerprintBytes).ToArray();

    private IEpochCounter CreateEpoch(int epoch)
    {
        var spec = EpochSpec.For(Options, epoch);
        var noise = new CounterNoise(_key, Options.CounterId, epoch);
        return Options.Mechanism switch
        {
            CounterMechanism.BinaryTree => new BinaryTreeCounter(spec, Options.Sensitivity, honaker: false, noise),
            CounterMechanism.BinaryTreeHonaker => new BinaryTreeCounter(spec, Options.Sensitivity, honaker: true, noise),
            CounterMechanism.BufferedToeplitz => new BufferedToeplitzCounter(spec, Options.Sensitivity, noise),
            _ => new SquareRootFactorizationCounter(spec, Options.Sensitivity, noise),
        };
    }

    private static void WriteOptions(BinaryWriter writer, ContinualCounterOptions options)
    {
        writer.Write(options.CounterId);
        writer.Write((byte)options.Mechanism);
        writer.Write(options.Log2Horizon);
        writer.Write(options.Sensitivity);
        writer.Write((byte)options.Budget.Kind);
        writer.Write(options.Budget.Epsilon.Value);
        writer.Write(options.Budget.Rho.Value);
        writer.Write((byte)options.Horizon);
        writer.Write((byte)options.EpochSplit);
    }

    private static ContinualCounterOptions ReadOptions(BinaryReader reader)
    {
        var counterId = reader.ReadString();
        var mechanism = (CounterMechanism)reader.ReadByte();
        var log2 = reader.ReadInt32();
        var sensitivity = reader.ReadDouble();
        var budget = PrivacyCost.FromParts((PrivacyCostKind)reader.ReadByte(), reader.ReadDouble(), 0, reader.ReadDouble());
        return new ContinualCounterOptions
        {
            CounterId = counterId,
            Mechanism = mechanism,
            Log2Horizon = log2,
            Sensitivity = sensitivity,
            Budget = budget,
            Horizon = (HorizonPolicy)reader.ReadByte(),
            EpochSplit = (EpochBudgetSplit)reader.ReadByte(),
        };
    }
}
