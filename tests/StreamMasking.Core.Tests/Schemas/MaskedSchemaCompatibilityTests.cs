using Avro;
using StreamMasking.Core.Schemas;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Schemas;

/// <summary>
/// Avro schema resolution as <see cref="MaskedSchemaCompatibility"/> checks it, rule by rule, with both verdicts, and
/// against Apache.Avro's <see cref="Schema.CanRead"/> on the same pairs.
/// </summary>
public sealed class MaskedSchemaCompatibilityTests
{
    // (reader field type, writer field type, can read): a record { f: T } read with a record { f: T' }. Apache.Avro
    // agrees on every pair here.
    public static TheoryData<string, string, bool> AgreedPairs => new()
    {
        // Same primitive, and the promotions.
        { "\"int\"", "\"int\"", true },
        { "\"long\"", "\"int\"", true },
        { "\"float\"", "\"int\"", true },
        { "\"double\"", "\"int\"", true },
        { "\"float\"", "\"long\"", true },
        { "\"double\"", "\"long\"", true },
        { "\"double\"", "\"float\"", true },
        { "\"int\"", "\"long\"", false },
        { "\"long\"", "\"double\"", false },
        { "\"float\"", "\"double\"", false },
        { "\"string\"", "\"double\"", false },
        { "\"double\"", "\"string\"", false },
        { "\"boolean\"", "\"int\"", false },
        // A reader union reads a non-union writer when a branch does (a promotion counts).
        { "[\"null\", \"double\"]", "\"double\"", true },
        { "[\"null\", \"long\"]", "\"int\"", true },
        { "[\"null\", \"string\"]", "\"double\"", false },
        // Writer unions every branch of which the reader union reads.
        { "[\"null\", \"double\", \"string\"]", "[\"null\", \"double\"]", true },
        { "[\"null\", \"double\"]", "[\"null\", \"float\"]", true },
        // Arrays by items, maps by values.
        { "{\"type\": \"array\", \"items\": \"long\"}", "{\"type\": \"array\", \"items\": \"int\"}", true },
        { "{\"type\": \"array\", \"items\": \"int\"}", "{\"type\": \"array\", \"items\": \"long\"}", false },
        { "{\"type\": \"map\", \"values\": \"double\"}", "{\"type\": \"map\", \"values\": \"float\"}", true },
        { "{\"type\": \"map\", \"values\": \"int\"}", "{\"type\": \"map\", \"values\": \"string\"}", false },
        { "{\"type\": \"map\", \"values\": \"int\"}", "{\"type\": \"array\", \"items\": \"int\"}", false },
        // Fixed: same name and size.
        { "{\"type\": \"fixed\", \"name\": \"Id\", \"size\": 16}", "{\"type\": \"fixed\", \"name\": \"Id\", \"size\": 16}", true },
        { "{\"type\": \"fixed\", \"name\": \"Id\", \"size\": 8}", "{\"type\": \"fixed\", \"name\": \"Id\", \"size\": 16}", false },
        { "{\"type\": \"fixed\", \"name\": \"Key\", \"size\": 16}", "{\"type\": \"fixed\", \"name\": \"Id\", \"size\": 16}", false },
        { "{\"type\": \"fixed\", \"name\": \"Key\", \"aliases\": [\"Id\"], \"size\": 16}", "{\"type\": \"fixed\", \"name\": \"Id\", \"size\": 16}", true },
        // Enums: the reader holds every writer symbol, or has a default.
        { "{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"A\", \"B\", \"C\"]}", "{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"A\", \"B\"]}", true },
        { "{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"A\", \"O\"], \"default\": \"O\"}", "{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"A\", \"B\"]}", true },
        { "{\"type\": \"enum\", \"name\": \"F\", \"symbols\": [\"A\"]}", "{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"A\"]}", false },
        { "\"string\"", "{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"A\"]}", false },
        // Nested records: by name (or alias), then field by field.
        { Record("N", "{\"name\": \"x\", \"type\": \"long\"}"), Record("N", "{\"name\": \"x\", \"type\": \"int\"}"), true },
        { Record("N", "{\"name\": \"x\", \"type\": \"int\"}"), Record("N", "{\"name\": \"x\", \"type\": \"long\"}"), false },
        { Record("M", "{\"name\": \"x\", \"type\": \"int\"}"), Record("N", "{\"name\": \"x\", \"type\": \"int\"}"), false },
        { Record("M", "{\"name\": \"x\", \"type\": \"int\"}", "\"aliases\": [\"N\"], "), Record("N", "{\"name\": \"x\", \"type\": \"int\"}"), true },
        { Record("M", "{\"name\": \"x\", \"type\": \"int\"}", "\"aliases\": [\"other.N\"], "), Record("N", "{\"name\": \"x\", \"type\": \"int\"}"), false },
        { Record("N", "{\"name\": \"y\", \"type\": \"int\"}"), Record("N", "{\"name\": \"x\", \"type\": \"int\"}"), false },
        { Record("N", "{\"name\": \"y\", \"type\": \"int\", \"default\": 0}"), Record("N", "{\"name\": \"x\", \"type\": \"int\"}"), true },
        { Record("N", "{\"name\": \"y\", \"type\": \"int\", \"aliases\": [\"x\"]}"), Record("N", "{\"name\": \"x\", \"type\": \"int\"}"), true },
        { "[\"null\", " + Record("N", "{\"name\": \"x\", \"type\": \"long\"}") + "]", Record("N", "{\"name\": \"x\", \"type\": \"int\"}"), true },
        // Logical types with the same underlying type.
        { "{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}", "{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}", true },
        { "\"string\"", "{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}", false },
    };

    // Pairs where Apache.Avro's CanRead departs from the specification (see the type's remarks): our verdict, then its.
    public static TheoryData<string, string, bool, bool> DivergentPairs => new()
    {
        // A writer union: CanRead accepts any; a null branch the reader cannot read breaks old optional records.
        { "\"double\"", "[\"null\", \"double\"]", false, true },
        { "[\"null\", \"string\"]", "[\"null\", \"double\"]", false, true },
        // Enum symbols: CanRead defers them to decoding time.
        { "{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"A\"]}", "{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"A\", \"B\"]}", false, true },
        // string <-> bytes is a promotion in the specification.
        { "\"bytes\"", "\"string\"", true, false },
        { "\"string\"", "\"bytes\"", true, false },
        // Logical types resolve as their underlying type.
        { "{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}", "\"long\"", true, false },
        // Named types match by unqualified name.
        { Record("other.N", "{\"name\": \"x\", \"type\": \"int\"}"), Record("N", "{\"name\": \"x\", \"type\": \"int\"}"), true, false },
    };

    [Theory]
    [MemberData(nameof(AgreedPairs))]
    public void Check_AgreedPair_VerdictMatchesApacheAvroCanRead(string readerType, string writerType, bool expected)
    {
        var (reader, writer) = (Top(readerType), Top(writerType));

        MaskedSchemaCompatibility.CanRead(reader, writer).ShouldBe(expected, string.Join("; ", MaskedSchemaCompatibility.Check(reader, writer)));
        reader.CanRead(writer).ShouldBe(expected, "Apache.Avro Schema.CanRead");
    }

    [Theory]
    [MemberData(nameof(DivergentPairs))]
    public void Check_PairWhereApacheAvroDeparts_FollowsSpecification(string readerType, string writerType, bool expected, bool apache)
    {
        var (reader, writer) = (Top(readerType), Top(writerType));

        MaskedSchemaCompatibility.CanRead(reader, writer).ShouldBe(expected);
        reader.CanRead(writer).ShouldBe(apache, "Apache.Avro's own verdict changed: review the remarks of MaskedSchemaCompatibility");
    }

    [Fact]
    public void Check_NestedTypeChange_NamesDottedPathAndBothTypes()
    {
        var writer = Parse(Record("Payment", "{\"name\": \"payment\", \"type\": " + Record("Card", "{\"name\": \"amount\", \"type\": \"double\"}") + "}"));
        var reader = Parse(Record("Payment", "{\"name\": \"payment\", \"type\": " + Record("Card", "{\"name\": \"amount\", \"type\": \"string\"}") + "}"));

        var breaks = MaskedSchemaCompatibility.Check(reader, writer);

        breaks.ShouldHaveSingleItem().ShouldBe(new SchemaBreak("payment.amount", "was double, now string"));
        breaks[0].Describe("tokenize").ShouldBe("payment.amount: was double, now string (tokenize): readers of the new schema cannot read old records");
    }

    [Fact]
    public void Check_SeveralBreaks_EveryOneInSchemaOrder()
    {
        var writer = Parse(Record("R", "{\"name\": \"a\", \"type\": \"long\"}, {\"name\": \"b\", \"type\": [\"null\", \"double\"], \"default\": null}"));
        var reader = Parse(Record("R",
            "{\"name\": \"a\", \"type\": \"int\"}, {\"name\": \"b\", \"type\": \"double\"}, {\"name\": \"c\", \"type\": \"string\"}, "
            + "{\"name\": \"d\", \"type\": [\"null\", \"string\"], \"default\": null}"));

        MaskedSchemaCompatibility.Check(reader, writer).Select(b => b.ToString()).ShouldBe(
        [
            "a: was long, now int: readers of the new schema cannot read old records",
            "b: was null or double, now double: readers of the new schema cannot read old records",
            "c: new field (string) without a default: readers of the new schema cannot read old records",
        ]);
    }

    [Fact]
    public void Check_EnumLosesSymbols_NamesThem()
    {
        var reader = Top("{\"type\": \"enum\", \"name\": \"Dept\", \"symbols\": [\"cardiology\"]}");
        var writer = Top("{\"type\": \"enum\", \"name\": \"Dept\", \"symbols\": [\"cardiology\", \"oncology\", \"emergency\"]}");

        MaskedSchemaCompatibility.Check(reader, writer).ShouldHaveSingleItem()
            .ShouldBe(new SchemaBreak("f", "enum Dept lost symbol(s) oncology, emergency and has no default"));
    }

    [Fact]
    public void Check_ArrayItemsAndMapValues_PathMarksContainer()
    {
        var writer = Parse(Record("R",
            "{\"name\": \"lines\", \"type\": {\"type\": \"array\", \"items\": " + Record("Line", "{\"name\": \"sku\", \"type\": \"long\"}") + "}}, "
            + "{\"name\": \"labels\", \"type\": {\"type\": \"map\", \"values\": \"long\"}}"));
        var reader = Parse(Record("R",
            "{\"name\": \"lines\", \"type\": {\"type\": \"array\", \"items\": " + Record("Line", "{\"name\": \"sku\", \"type\": \"int\"}") + "}}, "
            + "{\"name\": \"labels\", \"type\": {\"type\": \"map\", \"values\": \"int\"}}"));

        MaskedSchemaCompatibility.Check(reader, writer).Select(b => b.Path).ShouldBe(["lines[].sku", "labels{}"]);
    }

    [Fact]
    public void Check_TopRecordRenamed_BreakAtRoot()
    {
        var breaks = MaskedSchemaCompatibility.Check(Parse(Record("New", "{\"name\": \"x\", \"type\": \"int\"}")), Parse(Record("Old", "{\"name\": \"x\", \"type\": \"int\"}")));

        breaks.ShouldHaveSingleItem().ShouldBe(new SchemaBreak(MaskedSchemaCompatibility.RootPath, "was record Old, now record New"));
    }

    [Fact]
    public void Check_OptionalRecordWithNewRequiredField_BreakInsideTheBranch()
    {
        var writer = Top("[\"null\", " + Record("N", "{\"name\": \"x\", \"type\": \"int\"}") + "]");
        var reader = Top("[\"null\", " + Record("N", "{\"name\": \"x\", \"type\": \"int\"}, {\"name\": \"y\", \"type\": \"int\"}") + "]");

        MaskedSchemaCompatibility.Check(reader, writer).ShouldHaveSingleItem().Path.ShouldBe("f.y");
    }

    [Fact]
    public void Check_RecursiveRecord_Terminates()
    {
        const string list = """{"type": "record", "name": "Node", "namespace": "t", "fields": [{"name": "v", "type": "int"}, {"name": "next", "type": ["null", "Node"], "default": null}]}""";
        const string wider = """{"type": "record", "name": "Node", "namespace": "t", "fields": [{"name": "v", "type": "long"}, {"name": "next", "type": ["null", "Node"], "default": null}]}""";

        MaskedSchemaCompatibility.CanRead(Parse(wider), Parse(list)).ShouldBeTrue();
        MaskedSchemaCompatibility.CanRead(Parse(list), Parse(wider)).ShouldBeFalse();
    }

    // Masked schemas derived from the sample payment schema under two versions of one rule, as policy validate compares them.
    [Theory]
    [InlineData("keep", "{ action: laplace, epsilon: 1, clamp: { min: 0, max: 5000 } }", true)]
    [InlineData("{ action: generalize, bucket: 25, output: lower }", "keep", true)]
    [InlineData("keep", "tokenize", false)]
    [InlineData("{ action: laplace, epsilon: 1, clamp: { min: 0, max: 5000 } }", "keep", false)]
    public void Check_DerivedPaymentSchemas_VerdictPerRuleChange(string before, string after, bool expected)
    {
        var (oldSchema, newSchema) = (DerivePayment("payment.amount: " + before), DerivePayment("payment.amount: " + after));

        MaskedSchemaCompatibility.CanRead(newSchema, oldSchema).ShouldBe(expected, string.Join("; ", MaskedSchemaCompatibility.Check(newSchema, oldSchema)));
    }

    [Fact]
    public void Check_NoiseRemoved_OldNullsUnreadable()
    {
        var oldSchema = DerivePayment("payment.amount: { action: laplace, epsilon: 1, clamp: { min: 0, max: 5000 } }");
        var newSchema = DerivePayment("payment.amount: keep");

        // An over-cap record was written without the noised field (null), and without the payment object that then
        // held nothing: neither a required double nor a required record can read those.
        MaskedSchemaCompatibility.Check(newSchema, oldSchema).ShouldBe(
        [
            new SchemaBreak("payment", "was null or record CardPayment, now record CardPayment"),
            new SchemaBreak("payment.amount", "was null or double, now double"),
        ]);
        newSchema.CanRead(oldSchema).ShouldBeFalse("Apache.Avro agrees here (a record reader refuses a union writer)");
    }

    [Fact]
    public void Check_DerivedCategoryRemoved_EnumBreak()
    {
        const string rule = "payment.currency: { action: randomized-response, epsilon: 2, categories: [";
        var oldSchema = DerivePayment(rule + "EUR, USD, GBP] }");
        var wider = DerivePayment(rule + "EUR, USD, GBP, CHF] }");
        var narrower = DerivePayment(rule + "EUR, USD] }");

        MaskedSchemaCompatibility.CanRead(wider, oldSchema).ShouldBeTrue();
        MaskedSchemaCompatibility.Check(narrower, oldSchema).ShouldHaveSingleItem()
            .ShouldBe(new SchemaBreak("payment.currency", "enum CurrencyCategory lost symbol(s) GBP and has no default"));
    }

    private static RecordSchema DerivePayment(string rule)
    {
        var writer = (RecordSchema)Schema.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "samples", "payment.avsc")));
        var policy = TestPolicies.OneSegment("eventId: keep\npatient.id: tokenize\n" + rule);
        return MaskedSchemaDeriver.Derive(writer, policy.Segments[0], policy.Version).Schema;
    }

    private static string Record(string name, string fields, string extra = "") =>
        "{\"type\": \"record\", \"name\": \"" + name + "\", " + extra + "\"fields\": [" + fields + "]}";

    // A top record { f: T } (namespace t, so nested named types share it).
    private static RecordSchema Top(string fieldType) => Parse("{\"type\": \"record\", \"name\": \"R\", \"namespace\": \"t\", \"fields\": [{\"name\": \"f\", \"type\": " + fieldType + "}]}");

    private static RecordSchema Parse(string json) => (RecordSchema)Schema.Parse(json);
}
