using FsCheck.Xunit;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.Tests.Accounting;

public class PrivacyValueTypeTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1e-300)]
    [InlineData(-1.0)]
    public void Constructors_InvalidValue_Throw(double value)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new Epsilon(value));
        Should.Throw<ArgumentOutOfRangeException>(() => new Rho(value));
        Should.Throw<ArgumentOutOfRangeException>(() => new Delta(value));
    }

    [Fact]
    public void Delta_AboveOne_Throws() => Should.Throw<ArgumentOutOfRangeException>(() => new Delta(1.0000001));

    [Fact]
    public void Add_Overflow_ThrowsInsteadOfInfinity()
    {
        Should.Throw<OverflowException>(() => new Epsilon(double.MaxValue) + new Epsilon(double.MaxValue));
        Should.Throw<OverflowException>(() => new Rho(double.MaxValue) + new Rho(double.MaxValue));
        Should.Throw<OverflowException>(() => new Delta(0.6) + new Delta(0.6));
    }

    [Fact]
    public void Default_IsZeroAndNegativeZeroIsCanonical()
    {
        default(Epsilon).ShouldBe(Epsilon.Zero);
        new Epsilon(-0.0).ShouldBe(Epsilon.Zero);
        BitConverter.DoubleToInt64Bits(new Epsilon(-0.0).Value).ShouldBe(0L);
    }

    [Property(MaxTest = 500)]
    public void Add_AnyFiniteValues_IsSmallestDoubleAtLeastExactSum(double a, double b)
    {
        a = Math.Abs(a);
        b = Math.Abs(b);
        if (!double.IsFinite(a) || !double.IsFinite(b) || a > 1e300 || b > 1e300)
        {
            return;
        }

        var sum = (new Epsilon(a) + new Epsilon(b)).Value;
        var exact = ExactDouble.Scaled(a) + ExactDouble.Scaled(b);
        (ExactDouble.Scaled(sum) >= exact).ShouldBeTrue();
        if (sum > 0)
        {
            (ExactDouble.Scaled(Math.BitDecrement(sum)) < exact).ShouldBeTrue();
        }
    }

    [Fact]
    public void Add_InexactDecimalSum_RoundsUp()
    {
        // 0.1 + 0.2 is not representable; nearest-rounding gives 0.30000000000000004, which is above the exact sum,
        // and 1 + 2^-60 rounds to 1 under nearest rounding but must round up here.
        var sum = (new Epsilon(1) + new Epsilon(Math.ScaleB(1, -60))).Value;
        sum.ShouldBe(Math.BitIncrement(1.0));
    }

    [Property(MaxTest = 300)]
    public void Remaining_AnyValues_NeverExceedsExactDifference(double cap, double spent)
    {
        cap = Math.Abs(cap);
        spent = Math.Abs(spent);
        if (!double.IsFinite(cap) || !double.IsFinite(spent))
        {
            return;
        }

        var remaining = Epsilon.Remaining(new Epsilon(cap), new Epsilon(spent)).Value;
        remaining.ShouldBeGreaterThanOrEqualTo(0);
        (ExactDouble.Scaled(remaining) + ExactDouble.Scaled(spent) <= ExactDouble.Scaled(Math.Max(cap, spent))).ShouldBeTrue();
    }

    [Fact]
    public void Rho_ConversionsFromEpsilonAndGaussian_MatchDefinitions()
    {
        Rho.FromPureEpsilon(new Epsilon(2)).Value.ShouldBe(2.0);
        Rho.ForGaussian(1, 2).Value.ShouldBe(0.125, 1e-12);
        Rho.ForGaussian(1, 2).Value.ShouldBeGreaterThanOrEqualTo(0.125);
    }
}
