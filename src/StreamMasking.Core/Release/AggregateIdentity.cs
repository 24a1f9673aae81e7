using System.Text;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Identity;

namespace StreamMasking.Core.Release;

/// <summary>
/// The <see cref="NoiseIdentity"/> of an aggregate's draws: the mechanism (kind and noise family) with every parameter
/// that shapes the output (ε, δ, clamp, domain and its order, k, contribution bounds, windowsPerUnit, continual budget
/// and horizon, confidence level, post-processing, accountant), bound to the segment spec's content hash and to the
/// segment and aggregate released. Callers add the rest of the subject (window index, counter incarnation).
/// </summary>
internal static class AggregateIdentity
{
    public static NoiseIdentity For(string purpose, AggregateSpec aggregate, SegmentAggregationSpec segment)
    {
        var identity = NoiseIdentity.For(purpose, ReleaseJson.KindName(aggregate.Kind))
            .With(aggregate.Noise)
            .With("domain", aggregate.Domain)
            .With("k", aggregate.K)
            .With("maxContributionsPerWindow", aggregate.MaxContributionsPerWindow)
            .With("maxPartitionsPerUnit", aggregate.MaxPartitionsPerUnit)
            .With("maxWindowsPerUnit", aggregate.MaxWindowsPerUnit)
            .With("confidenceLevel", aggregate.ConfidenceLevel)
            .With("postProcess", (long)aggregate.EffectivePostProcess)
            .With("accountant", (long)segment.Budget.Accountant);
        if (aggregate.Clamp is { } clamp)
        {
            identity.With("clamp", clamp);
        }

        if (aggregate.Continual is { } continual)
        {
            identity.With("continual.kind", (long)continual.Kind)
                .With("continual.epsilon", continual.Epsilon.Value)
                .With("continual.rho", continual.Rho.Value)
                .With("continual.log2Horizon", aggregate.ContinualLog2Horizon);
        }

        return identity.Policy(segment.ContentHash).Of("segment", segment.Segment).Of("aggregate", aggregate.Name);
    }

    /// <summary>The keyed digest of a sealed aggregate's exact state under <paramref name="identity"/> (state store only).</summary>
    public static string ValueDigest(NoiseIdentity identity, SealedAggregate sealedAggregate, ReadOnlySpan<byte> noiseKey)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)sealedAggregate.Kind);
            writer.Write(sealedAggregate.Count);
            writer.Write(sealedAggregate.Sum);
            AggregateAccumulator.WriteBins(writer, sealedAggregate.Bins);
        }

        return Convert.ToHexStringLower(identity.Digest(noiseKey, stream.ToArray()));
    }
}
