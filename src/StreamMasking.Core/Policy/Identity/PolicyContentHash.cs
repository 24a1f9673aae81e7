using System.Security.Cryptography;
using System.Text;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Policy.Identity;

/// <summary>
/// The canonical hash of a segment's DP-relevant content: everything that shapes a noisy output or its charge
/// (noised field actions with their parameters, privacy unit and cap, window size, budgets, aggregates with clamp,
/// domain, k, contribution bounds, windowsPerUnit, noise, continual horizon, confidence level and post-processing).
/// Never the free-text policy version: a version bump with identical content keeps every identity, and an edit
/// without a version bump changes it.
/// </summary>
/// <remarks>
/// Encoding: SHA-256 over a tagged binary form (length-prefixed UTF-8 strings, doubles by their IEEE bits, lists
/// with their counts, noised fields sorted by path); the first 16 bytes in lower-case hex. Schedule-only settings
/// (grace, idle close, late handling) are not DP content: they change which records a window holds, not how its
/// release is calibrated or charged. The hash is of public policy content, so it needs no key.
/// </remarks>
public static class PolicyContentHash
{
    private const string Domain = "StreamMasking.PolicyContent/v1";

    /// <summary>The content hash of a segment's aggregation spec (what window releases, counters and the ledger bind to).</summary>
    public static string Of(SegmentAggregationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Hash(writer =>
        {
            writer.Write("aggregation");
            WriteSpec(writer, spec);
        });
    }

    /// <summary>
    /// The content hash of everything DP-relevant in <paramref name="segment"/>: its noised fields, unit, window,
    /// budget and aggregates (what event-level noise binds to).
    /// </summary>
    public static string Of(SegmentPolicy segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return Hash(writer =>
        {
            writer.Write("segment");
            var noised = segment.Fields.Where(f => f.Action is NoiseFieldAction).OrderBy(f => f.Path.ToString(), StringComparer.Ordinal).ToList();
            writer.Write(noised.Count);
            foreach (var rule in noised)
            {
                writer.Write(rule.Path.ToString());
                WriteAction(writer, (NoiseFieldAction)rule.Action);
            }

            var privacy = segment.Privacy;
            writer.Write(privacy.Unit is not null);
            if (privacy.Unit is { } unit)
            {
                writer.Write(unit.Field.Text);
                writer.Write(unit.MaxEventsPerWindow);
                writer.Write((byte)unit.OverCap);
            }

            writer.Write(privacy.Window?.Size.Ticks ?? -1);
            var spec = privacy.Aggregates.Count == 0 ? null : AggregationSpecMapper.Map(segment, "content");
            writer.Write(spec is not null);
            if (spec is not null)
            {
                WriteSpec(writer, spec);
            }
        });
    }

    private static void WriteAction(BinaryWriter writer, NoiseFieldAction action)
    {
        writer.Write(action.Name);
        WriteDouble(writer, action.Epsilon.Value);
        WriteDouble(writer, action.Delta.Value);
        switch (action)
        {
            case LaplaceAction l:
                WriteClamp(writer, l.Clamp);
                break;
            case GaussianAction g:
                WriteClamp(writer, g.Clamp);
                break;
            case RandomizedResponseAction r:
                writer.Write(r.CategoryCount);
                WriteList(writer, r.Categories ?? []);
                break;
        }
    }

    private static void WriteSpec(BinaryWriter writer, SegmentAggregationSpec spec)
    {
        writer.Write(spec.Window.Size.Ticks);
        writer.Write(spec.PrivacyUnit ?? string.Empty);
        writer.Write(spec.PrivacyUnit is not null);
        var budget = spec.Budget;
        writer.Write((byte)budget.Accountant);
        WriteCost(writer, budget.WindowCap);
        WriteCost(writer, budget.LifetimeCap);
        WriteDouble(writer, budget.ReportingDelta);
        writer.Write(spec.Aggregates.Count);
        foreach (var aggregate in spec.Aggregates)
        {
            writer.Write(aggregate.Name);
            writer.Write((byte)aggregate.Kind);
            writer.Write(aggregate.Field ?? string.Empty);
            writer.Write(aggregate.Clamp is not null);
            if (aggregate.Clamp is { } clamp)
            {
                WriteClamp(writer, clamp);
            }

            WriteList(writer, aggregate.Domain);
            writer.Write(aggregate.K);
            writer.Write(aggregate.MaxContributionsPerWindow);
            writer.Write(aggregate.MaxPartitionsPerUnit);
            writer.Write(aggregate.MaxWindowsPerUnit);
            writer.Write((byte)aggregate.Noise.Kind);
            WriteDouble(writer, aggregate.Noise.Epsilon.Value);
            WriteDouble(writer, aggregate.Noise.Delta.Value);
            writer.Write(aggregate.Continual is not null);
            if (aggregate.Continual is { } continual)
            {
                WriteCost(writer, continual);
            }

            writer.Write(aggregate.ContinualLog2Horizon);
            WriteDouble(writer, aggregate.ConfidenceLevel);
            writer.Write((byte)aggregate.PostProcess);
        }
    }

    private static void WriteCost(BinaryWriter writer, PrivacyCost cost)
    {
        writer.Write((byte)cost.Kind);
        WriteDouble(writer, cost.Epsilon.Value);
        WriteDouble(writer, cost.Delta.Value);
        WriteDouble(writer, cost.Rho.Value);
    }

    private static void WriteClamp(BinaryWriter writer, ClampBounds clamp)
    {
        WriteDouble(writer, clamp.Lower);
        WriteDouble(writer, clamp.Upper);
    }

    private static void WriteList(BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write(values.Count);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    // −0 and 0 are one value; doubles by bits, so "0.1" and "1e-1" in YAML give one hash.
    private static void WriteDouble(BinaryWriter writer, double value) =>
        writer.Write(BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value));

    private static string Hash(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Domain);
            write(writer);
        }

        return Convert.ToHexStringLower(SHA256.HashData(stream.ToArray()).AsSpan(0, 16));
    }
}
