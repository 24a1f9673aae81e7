using System.Text.Json.Nodes;
using StreamMasking.Core.Records;

namespace StreamMasking.Core.Tests.Records;

public sealed class JsonScalarsTests
{
    [Theory]
    [InlineData("42", "42")]
    [InlineData("42.0", "42")]
    [InlineData("4.2e1", "42")]
    [InlineData("4.2E+1", "42")]
    [InlineData("420e-1", "42")]
    [InlineData("-0", "0")]
    [InlineData("-0.0e5", "0")]
    [InlineData("0.5", "0.5")]
    [InlineData("5e-1", "0.5")]
    [InlineData("-12.3400", "-12.34")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("1e40", "10000000000000000000000000000000000000000")]
    [InlineData("1e41", "1e41")]
    [InlineData("1.5e-41", "1.5e-41")]
    [InlineData("123456789012345678901234567890.5", "123456789012345678901234567890.5")]
    public void CanonicalNumber_IsExactAndShortest(string raw, string expected) =>
        JsonScalars.CanonicalNumber(raw).ShouldBe(expected);

    [Fact]
    public void TryGetText_ElementAndPrimitiveBackedNumbers_Agree()
    {
        JsonScalars.TryGetText(JsonNode.Parse("42.50"), out var parsed).ShouldBeTrue();
        JsonScalars.TryGetText(JsonValue.Create(42.5m), out var fromDecimal).ShouldBeTrue();
        JsonScalars.TryGetText(JsonValue.Create(42.5), out var fromDouble).ShouldBeTrue();

        parsed.ShouldBe("42.5");
        fromDecimal.ShouldBe("42.5");
        fromDouble.ShouldBe("42.5");
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[]")]
    public void TryGetText_NonScalars_HaveNoText(string json) =>
        JsonScalars.TryGetText(JsonNode.Parse(json), out _).ShouldBeFalse();

    [Theory]
    [InlineData("40.000", "40")]
    [InlineData("1.2500", "1.25")]
    [InlineData("-0.0", "0")]
    [InlineData("-10", "-10")]
    [InlineData("123000000", "123000000")]
    [InlineData("0.0000000001", "0.0000000001")]
    public void CanonicalNumber_Decimal_DropsTrailingZerosWithoutExponent(string value, string expected) =>
        JsonScalars.CanonicalNumber(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(expected);
}
