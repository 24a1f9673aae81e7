using System.Globalization;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>
/// Keyed noise streams of one counter epoch. Every noise draw gets its own PRF stream labelled by
/// (counter id, epoch, role, level, index), so the noise of a node or step is a pure function of the key and its
/// position: drawn "once" in the sense that every recomputation, replay or restore yields the identical value.
/// </summary>
internal sealed class CounterNoise
{
    private const string Domain = "StreamMasking.ContinualCounter/v2";
    private readonly byte[] _key;
    private readonly string _counterId;
    private readonly string _epoch;

    public CounterNoise(ReadOnlySpan<byte> key, string counterId, int epoch)
    {
        if (key.Length < 16)
        {
            throw new ArgumentException("A noise key needs at least 16 bytes.", nameof(key));
        }

        _key = key.ToArray();
        _counterId = counterId;
        _epoch = epoch.ToString(CultureInfo.InvariantCulture);
    }

    public IRandomSource For(string role, int level, long index) => new KeyedRandomSource(
        _key,
        KeyedRandomSource.ComposeLabel(
            Domain,
            _counterId,
            _epoch,
            role,
            level.ToString(CultureInfo.InvariantCulture),
            index.ToString(CultureInfo.InvariantCulture)));
}
