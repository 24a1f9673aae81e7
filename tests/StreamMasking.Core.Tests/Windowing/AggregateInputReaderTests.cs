using System.Text.Json.Nodes;
using StreamMasking.Core.Windowing;
using static StreamMasking.Testing.WindowSpecs;

namespace StreamMasking.Core.Tests.Windowing;

public sealed class AggregateInputReaderTests
{
    [Fact]
    public void Read_NestedFields_NumbersAndDomainIndexes()
    {
        var spec = Segment(AllKinds()) with { PrivacyUnit = "patient.id" };
        var body = JsonNode.Parse("""
            {"patient":{"id":"p-7","age":"old"},"visit":{"cost":12.5,"department":"ortho","diagnosis":"X99"}}
            """)!.AsObject();
        Span<AggregateInput> inputs = stackalloc AggregateInput[spec.Aggregates.Count];
        AggregateInputReader.Read(body, spec, inputs);

        inputs[0].ShouldBe(AggregateInput.Present);
        inputs[1].ShouldBe(AggregateInput.FromNumber(12.5));
        inputs[2].IsPresent.ShouldBeFalse(); // "old" is not a number
        inputs[3].ShouldBe(AggregateInput.FromCategory(2));
        inputs[4].IsPresent.ShouldBeFalse(); // outside the declared domain
        AggregateInputReader.ReadUnit(body, spec).ShouldBe("p-7");
    }

    [Fact]
    public void ReadUnit_NoUnitDeclaredOrFieldMissing_Null()
    {
        var body = JsonNode.Parse("""{"patient":{"name":"x"}}""")!.AsObject();
        AggregateInputReader.ReadUnit(body, Segment()).ShouldBeNull();
        AggregateInputReader.ReadUnit(body, Segment() with { PrivacyUnit = "patient.id" }).ShouldBeNull();
    }
}
