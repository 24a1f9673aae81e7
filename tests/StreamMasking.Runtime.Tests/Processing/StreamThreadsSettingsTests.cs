using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Hosting;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Processing;

/// <summary>How <see cref="PipelineOptions.StreamThreads"/> shapes the loops of an instance (no broker needed).</summary>
public sealed class StreamThreadsSettingsTests
{
    private static StreamMaskingOptions Options(int streamThreads, string instanceId = "i1")
    {
        var options = TestOptions.For("localhost:9", "app", "test-policy.yaml", instanceId);
        options.Pipeline.StreamThreads = streamThreads;
        return options;
    }

    private static MaskingPipeline Create(StreamMaskingOptions options, Func<string, IRecordProcessor, IRecordProcessor>? decorate = null) =>
        new(options, TestPolicies.ThreeSegments("app.masked"), Enumerable.Repeat((byte)42, 32).ToArray(),
            new KafkaClientFactory(options.Kafka, NullLogger.Instance), NullLoggerFactory.Instance, TimeProvider.System, decorate);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(33)]
    public void Validate_StreamThreadsOutOfRange_NamesTheKey(int threads)
    {
        StreamMaskingOptionsValidator.Validate(Options(threads), requireBootstrapServers: true)
            .ShouldHaveSingleItem().Key.ShouldBe("StreamMasking:Pipeline:StreamThreads");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(32)]
    public void Validate_StreamThreadsInRange_NoErrors(int threads)
    {
        StreamMaskingOptionsValidator.Validate(Options(threads), requireBootstrapServers: true).ShouldBeEmpty();
    }

    [Fact]
    public void Loops_DefaultOneThread_KeepsTheSingleThreadIds()
    {
        using var pipeline = Create(Options(1));

        pipeline.Loops.Select(l => (l.Name, l.GroupId, l.GroupInstanceId, l.TransactionalId)).ShouldBe(
        [
            ("route", "app.route", "app.route.i1", "app.route.i1"),
            ("mask", "app.mask", "app.mask.i1", "app.mask.i1"),
        ]);
    }

    [Fact]
    public void Loops_ThreeThreads_ThreadZeroKeepsItsIdsOthersAreSuffixedAndAllDistinct()
    {
        using var pipeline = Create(Options(3));

        pipeline.Loops.Select(l => (l.LoopName, l.GroupId, l.GroupInstanceId, l.TransactionalId)).ShouldBe(
        [
            ("route", "app.route", "app.route.i1", "app.route.i1"),
            ("route.1", "app.route", "app.route.i1.1", "app.route.i1.1"),
            ("route.2", "app.route", "app.route.i1.2", "app.route.i1.2"),
            ("mask", "app.mask", "app.mask.i1", "app.mask.i1"),
            ("mask.1", "app.mask", "app.mask.i1.1", "app.mask.i1.1"),
            ("mask.2", "app.mask", "app.mask.i1.2", "app.mask.i1.2"),
        ]);
        pipeline.StageNames.ShouldBe(["route", "mask"]);
    }

    [Fact]
    public void Loops_TwoInstancesTwoThreads_EveryTransactionalAndMemberIdDistinct()
    {
        using var a = Create(Options(2, "a"));
        using var b = Create(Options(2, "b"));
        var loops = a.Loops.Concat(b.Loops).ToList();

        loops.Select(l => l.TransactionalId).Distinct().Count().ShouldBe(8);
        loops.Select(l => l.GroupInstanceId).Distinct().Count().ShouldBe(8);
    }

    [Fact]
    public void Create_TwoThreads_EachLoopGetsItsOwnProcessor()
    {
        var processors = new List<(string Stage, IRecordProcessor Processor)>();
        using var pipeline = Create(Options(2), (stage, processor) =>
        {
            processors.Add((stage, processor));
            return processor;
        });

        processors.Select(p => p.Stage).ShouldBe(["route", "route", "mask", "mask"]);
        processors.Select(p => p.Processor).Distinct(ReferenceEqualityComparer.Instance).Count().ShouldBe(4);
    }
}
