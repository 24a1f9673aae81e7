using System.Numerics;
using System.Security.Cryptography;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Sampling;

namespace StreamMasking.Privacy.Tests.Sampling;

/// <summary>
/// The exact draws of every sampler path from a seeded and a keyed source. Replayed noise must be the same value
/// after an upgrade (two different draws for one label would let a reader average the noise away), so the words a
/// sampler consumes and the way they map to its output may not change for deterministic sources: any such change
/// shows here. Each case hashes 2,000 outputs and then the source's next word, which pins the consumption too.
/// </summary>
public sealed class SamplerPinnedTests
{
    private const int Draws = 2_000;

    public static TheoryData<string> Cases() => new(s_cases.Keys);

    private static readonly Dictionary<string, Func<IRandomSource, double>> s_cases = new()
    {
        ["laplace t=2^40"] = r => DiscreteLaplace.Sample(r, 1UL << 40, 1UL),
        ["laplace t=10"] = r => DiscreteLaplace.Sample(r, 10UL, 1UL),
        ["laplace t=1"] = r => DiscreteLaplace.Sample(r, 1UL, 1UL),
        ["laplace t=3/2"] = r => DiscreteLaplace.Sample(r, 3UL, 2UL),
        ["laplace t=2^60"] = r => DiscreteLaplace.Sample(r, 1UL << 60, 1UL),
        ["laplace t=10^30/10^29"] = r => DiscreteLaplace.Sample(r, BigInteger.Pow(10, 30), BigInteger.Pow(10, 29)),
        ["gaussian sigma=2^20"] = r => DiscreteGaussian.SampleWithIntegerSigma(r, 1UL << 20),
        ["gaussian sigma=1"] = r => DiscreteGaussian.SampleWithIntegerSigma(r, 1UL),
        ["gaussian sigma^2=9"] = r => DiscreteGaussian.Sample(r, 9UL),
        ["gaussian sigma^2=7/2"] = r => DiscreteGaussian.Sample(r, new BigInteger(7), new BigInteger(2)),
        ["gaussian sigma=2^25"] = r => DiscreteGaussian.SampleWithIntegerSigma(r, 1UL << 25),
        ["granular laplace b=1"] = r => GranularNoise.AddLaplace(r, 12.5, 1.0),
        ["granular laplace b=1e6"] = r => GranularNoise.AddLaplace(r, -3.25, 1e6),
        ["granular laplace b=0.3"] = r => GranularNoise.AddLaplace(r, 7.0, 0.3),
        ["granular gaussian sigma=1"] = r => GranularNoise.AddGaussian(r, 12.5, 1.0),
        ["granular gaussian sigma=0.37"] = r => GranularNoise.AddGaussian(r, 1e3, 0.37),
        ["bernoulli exp(-5/3)"] = r => BernoulliExp.Sample(r, new BigInteger(5), new BigInteger(3)) ? 1 : 0,
    };

    private static readonly Dictionary<string, (string Seeded, string Keyed)> s_expected = new()
    {
        ["laplace t=2^40"] = ("3C98D8F8355DC870BB686D6AB7EC3953", "A4284857B708806CE4761DA7BA2DFD52"),
        ["laplace t=10"] = ("65DD201C4CF43E66A026DF5DB384688A", "AE7F8328CD3A39CDBBA01A5E0E855B7F"),
        ["laplace t=1"] = ("3B855911A86B7156525547E33EC85BFA", "9FB41EF255AA3FFD6DA7F0404BEA2041"),
        ["laplace t=3/2"] = ("CA85FD05D5A5F6DFE002DB14AC7C9C24", "C1B36EB1B307D9358DE50DED47E86B36"),
        ["laplace t=2^60"] = ("4B5D4424F28F4004AF2DE5BE22CF5A36", "D97D8DAE95775FE42FD4A4BE60120DB2"),
        ["laplace t=10^30/10^29"] = ("4E3726F94BBDC246E7CD458E4C8D48D0", "1A19754FF1B94A4609F032CC489F547D"),
        ["gaussian sigma=2^20"] = ("A9BC5781C2D1B79F4C3A752DACC89144", "1F172E2BDB51F1F2BC5DCF14A664FAED"),
        ["gaussian sigma=1"] = ("01700C80105160318A7AD4AA797FDD6B", "5BA2D04A1B9AECC6ECD2D630A5464CC1"),
        ["gaussian sigma^2=9"] = ("7EC3D93202C1B4B882E756A917B768F1", "8580F0BC78BDFD65CBCBC125490F89BC"),
        ["gaussian sigma^2=7/2"] = ("2A432A1AAAC8E055FD905903F4ECDD38", "3E7E51CC8E652599113E0E08A834E69F"),
        ["gaussian sigma=2^25"] = ("59278A573ECB0939859C8F4C4A0A0B62", "3DA038F230D8CAAE255985F2812E601B"),
        ["granular laplace b=1"] = ("9C4DA4556A4546E7690E337AE13EE156", "467A9C5D6E5D5496754ECF4C1ACC66C4"),
        ["granular laplace b=1e6"] = ("D54718EB4ADAB8EE205B5218DC11C230", "035ACB0C43101B3BDD345FC4D88A5929"),
        ["granular laplace b=0.3"] = ("7218E173B14B720B76B75914B8BE3152", "04243A1FC2811678C7BBCE28B724AA04"),
        ["granular gaussian sigma=1"] = ("C58480094FBD4EDCA4C31FDF798DCF92", "260078FF1050823C30F4649455DCA5AD"),
        ["granular gaussian sigma=0.37"] = ("38C0B9ABD43A99CCD52220CEFB471F8E", "1D228645F1C12A9473A1F984B9F0EB44"),
        ["bernoulli exp(-5/3)"] = ("BE98F17894B80FFA0DCBC6FC1BE69FAE", "9C8F35A440DB3288C1C2C947DD70FD09"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sample_SeededSource_DrawsTheSameValuesEveryVersion(string name) =>
        Digest(s_cases[name], new SeededRandomSource(20_261_204)).ShouldBe(s_expected[name].Seeded, name);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sample_KeyedSource_DrawsTheSameValuesEveryVersion(string name) =>
        Digest(s_cases[name], new KeyedRandomSource(new byte[32], "pinned/" + name)).ShouldBe(s_expected[name].Keyed, name);

    private static string Digest(Func<IRandomSource, double> draw, IRandomSource random)
    {
        var bytes = new byte[(Draws + 1) * sizeof(ulong)];
        for (var i = 0; i < Draws; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * sizeof(ulong)), BitConverter.DoubleToInt64Bits(draw(random)));
        }

        BitConverter.TryWriteBytes(bytes.AsSpan(Draws * sizeof(ulong)), random.NextUInt64());
        return Convert.ToHexString(SHA256.HashData(bytes))[..32];
    }
}
