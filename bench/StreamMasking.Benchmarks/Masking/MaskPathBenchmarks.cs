using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using StreamMasking.Benchmarks.Pipeline;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Masking.Operations;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Records;
using StreamMasking.Core.Segmentation;
using StreamMasking.Privacy.Identity;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Serialization;
using StreamMasking.Runtime.Stages;

namespace StreamMasking.Benchmarks.Masking;

/// <summary>
/// The CPU cost of one record in stage mask, piece by piece, with the limit harness's realistic plain policy (two
/// tokens, partial, two generalisations, event-level Laplace on three fields): parse the JSON value, build the
/// envelope, route it, mask it, serialise the masked record, and all of it in a row. The pieces show where a record's
/// time goes, so a change to one of them is measured where it acts; the limit harness measures the whole pipeline.
/// </summary>
[MemoryDiagnoser]
public class MaskPathBenchmarks : IDisposable
{
    // The limit harness's plain policy, masked topics "masked.<segment>".
    private static readonly string Policy = LimitHarness.Policy("masked", windowed: false);

    private RecordMasker _maskerWithoutNoise = null!;
    private SegmentPolicy _segmentWithoutNoise = null!;
    private byte[] _value = [];
    private JsonObject _body = null!;
    private RecordEnvelope _envelope = null!;
    private SegmentPolicy _segment = null!;
    private SegmentRouter _router = null!;
    private RecordMasker _masker = null!;
    private JsonObject _masked = null!;
    private long _offset;
    private LaplaceAction _laplace = null!;
    private NoiseIdentityPrefix _prefix = null!;
    private readonly byte[] _noiseKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [GlobalSetup]
    public void Setup()
    {
        var parsed = PolicyLoader.Parse(Policy, "limit.yaml");
        var policy = parsed.Policy ?? throw new InvalidOperationException(string.Join("; ", parsed.Diagnostics));
        _router = new SegmentRouter(policy);
        _masker = new RecordMasker(policy, new TokenKeyring(Enumerable.Repeat((byte)9, 32).ToArray()));
        _segment = policy.Segments[0];
        var withoutNoise = PolicyLoader.Parse(string.Join('\n', Policy.Split('\n').Where(l => !l.Contains("laplace", StringComparison.Ordinal))), "keyed.yaml").Policy!;
        _maskerWithoutNoise = new RecordMasker(withoutNoise, new TokenKeyring(Enumerable.Repeat((byte)9, 32).ToArray()));
        _segmentWithoutNoise = withoutNoise.Segments[0];
        var body = new JsonObject
        {
            ["type"] = "visit",
            ["eventId"] = "E-1234567",
            ["patient"] = new JsonObject
            {
                ["id"] = "P-00042", ["name"] = "Name P-00042", ["email"] = "patient42@example.org",
                ["age"] = 47, ["zip"] = (10115 + 42).ToString(CultureInfo.InvariantCulture),
            },
            ["visit"] = new JsonObject
            {
                ["cost"] = 1234, ["minutes"] = 35, ["heartRate"] = 92,
                ["department"] = "oncology", ["notes"] = "free text that is never published",
            },
        };
        _value = Encoding.UTF8.GetBytes(body.ToJsonString());
        _body = Parse();
        _envelope = Envelope(_body, 0);
        _masked = _masker.Mask(_segment, _envelope).Output!;
        _laplace = _segment.Fields.Select(f => f.Action).OfType<LaplaceAction>().First();
        _prefix = EventNoiseLabel.Prefix(_laplace, "content-hash");
    }

    /// <summary>The value as the DOM the masker works on (parse and materialise every node).</summary>
    [Benchmark]
    public JsonObject Parse() => JsonBody.TryParse(_value, out var body) ? body : throw new InvalidOperationException();

    /// <summary>The envelope routing and masking read: topic, headers, body, source coordinates.</summary>
    [Benchmark]
    public RecordEnvelope BuildEnvelope() => Envelope(_body, _offset++);

    [Benchmark]
    public SegmentPolicy? Route() => _router.Route(_envelope).Segment;

    /// <summary>Field actions and three secure Laplace draws (a new source offset each time: new noise).</summary>
    [Benchmark]
    public JsonObject? Mask() => _masker.Mask(_segment, Envelope(_body, _offset++)).Output;

    /// <summary>The same without the three noised fields: what the field actions other than noise cost.</summary>
    [Benchmark]
    public JsonObject? MaskWithoutNoise() => _maskerWithoutNoise.Mask(_segmentWithoutNoise, Envelope(_body, _offset++)).Output;

    /// <summary>One noised field's keyed stream: value digest, label, stream (a new offset each time).</summary>
    [Benchmark]
    public KeyedRandomSource NoiseStream() => EventNoiseLabel.For(_prefix, new RecordCoordinates("visits", 0, _offset++), "visit.cost", 1234, _noiseKey);

    /// <summary>One noised field's draw and release from a fresh stream.</summary>
    [Benchmark]
    public double NoiseDraw() => EventNoise.Release(_laplace, 1234, new KeyedRandomSource(_noiseKey, "label-" + _offset++)).Value;

    [Benchmark]
    public byte[] Serialize() => MaskedJson.Serialize(_masked);

    /// <summary>Everything stage mask does to a plain record's value, in order.</summary>
    [Benchmark(Baseline = true)]
    public byte[] Whole()
    {
        var body = Parse();
        var envelope = Envelope(body, _offset++);
        var segment = _router.Route(envelope).Segment!;
        var masked = _masker.Mask(segment, envelope).Output!;
        return MaskedJson.Serialize(masked);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _masker.Dispose();
        _maskerWithoutNoise.Dispose();
        GC.SuppressFinalize(this);
    }

    private static RecordEnvelope Envelope(JsonObject body, long offset) =>
        EnvelopeFactory.Create("visits", headers: null, body, new SourceCoordinates("visits", 0, offset));
}
