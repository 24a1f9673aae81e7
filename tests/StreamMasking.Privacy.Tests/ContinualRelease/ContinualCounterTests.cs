using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.ContinualRelease;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Tests.ContinualRelease;

public class ContinualCounterTests
{
    public static TheoryData<CounterMechanism, HorizonPolicy> Configurations => new()
    {
        { CounterMechanism.BinaryTree, HorizonPolicy.Fixed },
        { CounterMechanism.BinaryTreeHonaker, HorizonPolicy.Fixed },
        { CounterMechanism.SquareRootFactorization, HorizonPolicy.Fixed },
        { CounterMechanism.BinaryTreeHonaker, HorizonPolicy.Doubling },
        { CounterMechanism.SquareRootFactorization, HorizonPolicy.Doubling },
        { CounterMechanism.BufferedToeplitz, HorizonPolicy.Fixed },
        { CounterMechanism.BufferedToeplitz, HorizonPolicy.Doubling },
    };

    private static double[] Inputs(int count, ulong seed)
    {
        var random = new SeededRandomSource(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (random.NextUInt64() % 1000) / 7.0)];
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Restore_MidStream_EmitsExactlySameFutureOutputs(CounterMechanism mechanism, HorizonPolicy horizon)
    {
        // Horizon 16: the doubling cases cross into epochs 1 and 2 (16 + 32 steps) within 60 steps.
        var options = CounterTestKit.Options(mechanism, 4, sensitivity: 5, budget: 0.8, horizon: horizon);
        var inputs = Inputs(horizon == HorizonPolicy.Fixed ? 16 : 60, 3);
        var key = CounterTestKit.Key(42);
        foreach (var cut in new[] { 0, 7, 16, 17, 47 }.Where(c => c <= inputs.Length))
        {
            var original = ContinualCounter.Create(options, key);
            foreach (var x in inputs.Take(cut))
            {
                original.Release(x);
            }

            var state = original.ToBytes();
            var restored = ContinualCounter.Restore(state, key);
            restored.ToBytes().ShouldBe(state);
            restored.Steps.ShouldBe(cut);
            foreach (var x in inputs.Skip(cut))
            {
                BitConverter.DoubleToInt64Bits(restored.Release(x)).ShouldBe(BitConverter.DoubleToInt64Bits(original.Release(x)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Release_SameKey_IsReproducibleAndOtherKeyDiffers(CounterMechanism mechanism, HorizonPolicy horizon)
    {
        var options = CounterTestKit.Options(mechanism, 3, horizon: horizon);
        var inputs = Inputs(8, 5);
        var a = ContinualCounter.Create(options, CounterTestKit.Key(1));
        var b = ContinualCounter.Create(options, CounterTestKit.Key(1));
        var c = ContinualCounter.Create(options, CounterTestKit.Key(2));
        var differs = false;
        foreach (var x in inputs)
        {
            var ya = a.Release(x);
            b.Release(x).ShouldBe(ya);
            differs |= c.Release(x) != ya;
        }

        differs.ShouldBeTrue();
    }

    [Theory]
    [InlineData(CounterMechanism.BinaryTree, 1e3)]
    [InlineData(CounterMechanism.BinaryTreeHonaker, 1e3)]
    [InlineData(CounterMechanism.SquareRootFactorization, 1e6)]
    [InlineData(CounterMechanism.BufferedToeplitz, 1e6)]
    public void Release_TinyNoise_TracksPrefixSums(CounterMechanism mechanism, double budget)
    {
        var options = CounterTestKit.Options(mechanism, 6, sensitivity: 1, budget: budget);
        var counter = ContinualCounter.Create(options, CounterTestKit.Key(9));
        var total = 0.0;
        foreach (var x in Inputs(64, 11))
        {
            total += x;
            // Noise standard deviation ≤ 0.025 here, so 0.25 is ≥ 10 standard deviations.
            counter.Release(x).ShouldBe(total, 0.25);
        }
    }

    [Fact]
    public void Release_PlainTree_OutputsAreExactLatticeMultiples()
    {
        var counter = (ContinualCounter)ContinualCounter.Create(CounterTestKit.Options(CounterMechanism.BinaryTree, 5), CounterTestKit.Key(3));
        var granularity = ((BinaryTreeCounter)counter.CurrentEpoch).Granularity;
        foreach (var x in Inputs(32, 4))
        {
            var y = counter.Release(x);
            Math.IEEERemainder(y, granularity).ShouldBe(0.0);
        }
    }

    [Fact]
    public void Release_FixedHorizonExhausted_Throws()
    {
        var counter = ContinualCounter.Create(CounterTestKit.Options(CounterMechanism.SquareRootFactorization, 2), CounterTestKit.Key(3));
        for (var i = 0; i < 4; i++)
        {
            counter.Release(1);
        }

        counter.Capacity.ShouldBe(4);
        Should.Throw<InvalidOperationException>(() => counter.Release(1));
        var fresh = ContinualCounter.Create(CounterTestKit.Options(CounterMechanism.SquareRootFactorization, 2), CounterTestKit.Key(3));
        Should.Throw<ArgumentOutOfRangeException>(() => fresh.Release(double.NaN));
        fresh.Steps.ShouldBe(0);
    }

    [Fact]
    public void Doubling_FirstEpoch_MatchesFixedCounterAndLaterEpochsCarryVariance()
    {
        var key = CounterTestKit.Key(8);
        var fixedCounter = ContinualCounter.Create(CounterTestKit.Options(CounterMechanism.BinaryTreeHonaker, 3), key);
        var doubling = ContinualCounter.Create(CounterTestKit.Options(CounterMechanism.BinaryTreeHonaker, 3, horizon: HorizonPolicy.Doubling), key);
        foreach (var x in Inputs(8, 1))
        {
            doubling.Release(x).ShouldBe(fixedCounter.Release(x));
        }

        doubling.Capacity.ShouldBe(long.MaxValue);
        for (var i = 0; i < 40; i++)
        {
            doubling.Release(1);
        }

        doubling.Steps.ShouldBe(48);

        // Step 9 is the first of epoch 1 (horizon 16): its variance adds the carried epoch-0 total's variance.
        var epochOne = ContinualCounter.Create(CounterTestKit.Options(CounterMechanism.BinaryTreeHonaker, 4), key);
        doubling.Variance(9).ShouldBe(fixedCounter.Variance(8) + epochOne.Variance(1), 1e-12 * doubling.Variance(9));
        doubling.Variance(24).ShouldBe(fixedCounter.Variance(8) + epochOne.Variance(16), 1e-12 * doubling.Variance(24));
    }

    [Fact]
    public void Doubling_GeometricSplit_HalvesBudgetPerEpoch()
    {
        var options = CounterTestKit.Options(CounterMechanism.SquareRootFactorization, 2, budget: 1, horizon: HorizonPolicy.Doubling, split: EpochBudgetSplit.Geometric);
        EpochSpec.For(options, 0).Budget.Rho.Value.ShouldBe(0.5);
        EpochSpec.For(options, 3).Budget.Rho.Value.ShouldBe(1.0 / 16);
        EpochSpec.For(options, 3).Log2Horizon.ShouldBe(5);
        var total = Enumerable.Range(0, 60).Sum(k => EpochSpec.For(options, k).Budget.Rho.Value);
        total.ShouldBeLessThanOrEqualTo(1.0);
        ContinualCounter.Create(options, CounterTestKit.Key(1)).Cost.ShouldBe(PrivacyCost.Zcdp(new Rho(1)));
    }

    [Fact]
    public void Validate_SeveralInvalidProperties_NamesEveryOne()
    {
        var bad = CounterTestKit.Options(CounterMechanism.BinaryTree, 4) with
        {
            CounterId = "",
            Sensitivity = double.NaN,
            Budget = PrivacyCost.Zcdp(new Rho(1)),
        };

        bad.Errors().Select(e => e.Property).ShouldBe(["CounterId", "Sensitivity", "Budget"]);
        var e = Should.Throw<ArgumentException>(bad.Validate);
        e.ParamName.ShouldBe("CounterId");
        e.Message.ShouldContain("Sensitivity must be finite and positive.");
        e.Message.ShouldContain("Budget must be a positive PureDp cost for BinaryTree.");
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsNamingTheProperty()
    {
        var bad = CounterTestKit.Options(CounterMechanism.BinaryTree, 4) with { Budget = PrivacyCost.Zcdp(new Rho(1)) };
        Should.Throw<ArgumentException>(() => ContinualCounter.Create(bad, CounterTestKit.Key(1))).ParamName.ShouldBe("Budget");
        var badSensitivity = CounterTestKit.Options(CounterMechanism.BinaryTree, 4) with { Sensitivity = 0 };
        Should.Throw<ArgumentException>(() => ContinualCounter.Create(badSensitivity, CounterTestKit.Key(1))).ParamName.ShouldBe("Sensitivity");
        Should.Throw<ArgumentException>(() => ContinualCounter.Create(CounterTestKit.Options(CounterMechanism.BinaryTree, 4), new byte[8]));
    }

    [Fact]
    public void Restore_CorruptState_ThrowsFormatException()
    {
        var counter = ContinualCounter.Create(CounterTestKit.Options(CounterMechanism.BinaryTreeHonaker, 3), CounterTestKit.Key(1));
        counter.Release(2);
        var state = counter.ToBytes();
        Should.Throw<FormatException>(() => ContinualCounter.Restore(state.AsSpan(0, state.Length - 3), CounterTestKit.Key(1)));
        Should.Throw<FormatException>(() => ContinualCounter.Restore([.. state, 1], CounterTestKit.Key(1)));
        Should.Throw<FormatException>(() => ContinualCounter.Restore(state, CounterTestKit.Key(2)))
            .Message.ShouldContain("different noise key");
    }
}
