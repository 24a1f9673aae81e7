using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StreamMasking.Runtime.Serialization;

namespace StreamMasking.Runtime.Tests.Pipeline.Hostile;

/// <summary>The parser in front of everything: any bytes at all are a JSON object or a malformed record, never a crash.</summary>
public sealed class JsonBodyPropertyTests
{
    [Property(MaxTest = 2000)]
    public void TryParse_AnyBytes_ReturnsWithoutThrowing(byte[] value)
    {
        var parsed = JsonBody.TryParse(value, out var body);
        (parsed == (body is not null)).ShouldBeTrue();
    }

    [Property(MaxTest = 2000)]
    public Property TryParse_TruncatedOrCorruptedObject_NeverThrows(NonNegativeInt cut, byte flip)
    {
        var valid = Encoding.UTF8.GetBytes("{\"type\":\"visit\",\"patient\":{\"id\":\"p1\",\"tags\":[1,2,{\"x\":null}]},\"cost\":12.5}");
        var at = cut.Get % valid.Length;
        var corrupted = (byte[])valid.Clone();
        corrupted[at] ^= flip;
        var truncated = valid[..at];
        return Prop.ToProperty(Try(corrupted) && Try(truncated));
    }

    // Reaching the comparison at all is the property: a throw fails it.
    private static bool Try(byte[] value) => JsonBody.TryParse(value, out var body) == (body is not null);
}
