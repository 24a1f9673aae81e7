using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.Tests.Accounting;

/// <summary>The per-unit lifetime account of event-level noise: charging up to the cap, the exhausted mark, its bytes.</summary>
public sealed class UnitLifetimeAccountTests
{
    private static readonly PrivacyCost Half = PrivacyCost.Pure(new Epsilon(0.5));
    private static readonly PrivacyCost Two = PrivacyCost.Pure(new Epsilon(2));

    [Fact]
    public void TryCharge_PureEpsilon_AdmitsExactlyTheEventsWithinTheCapThenStaysExhausted()
    {
        var account = UnitLifetimeAccount.Empty(Two);
        var admitted = 0;
        for (var i = 0; i < 10; i++)
        {
            if (account.TryCharge(Half, Two, out var next))
            {
                admitted++;
            }

            account = next;
        }

        admitted.ShouldBe(4);
        account.Epsilon.ShouldBe(2.0);
        account.Exhausted.ShouldBeTrue();
        // Once exhausted, never again, even under a larger cap: a spent unit is not re-admitted by accident.
        account.TryCharge(Half, PrivacyCost.Pure(new Epsilon(100)), out _).ShouldBeFalse();
    }

    [Fact]
    public void TryCharge_ApproximateCost_RefusedWhenDeltaWouldPassTheCapAlthoughEpsilonFits()
    {
        var perEvent = PrivacyCost.Approximate(new Epsilon(0.1), new Delta(1e-6));
        var cap = PrivacyCost.Approximate(new Epsilon(10), new Delta(2.5e-6));
        var account = UnitLifetimeAccount.Empty(cap);

        account.TryCharge(perEvent, cap, out account).ShouldBeTrue();
        account.TryCharge(perEvent, cap, out account).ShouldBeTrue();
        account.TryCharge(perEvent, cap, out account).ShouldBeFalse();
        account.Delta.ShouldBe(2e-6, 1e-18);
        account.Exhausted.ShouldBeTrue();
    }

    [Fact]
    public void TryCharge_RoundingNeverUnderstatesTheSpend()
    {
        // 0.1 is not a double: ten charges of it must not fit a cap of exactly 1 by rounding down.
        var tenth = PrivacyCost.Pure(new Epsilon(0.1));
        var cap = PrivacyCost.Pure(new Epsilon(1));
        var account = UnitLifetimeAccount.Empty(cap);
        var admitted = 0;
        while (account.TryCharge(tenth, cap, out account))
        {
            admitted++;
        }

        admitted.ShouldBeLessThanOrEqualTo(10);
        (account.Epsilon >= admitted * 0.1).ShouldBeTrue();
        UnitLifetimeAccount.EventsWithin(tenth, cap).ShouldBe(admitted);
    }

    [Fact]
    public void TryCharge_AccountInRhoCapInEpsilon_TreatedAsExhaustedNotRestarted()
    {
        var rhoCap = PrivacyCost.Zcdp(new Rho(1));
        UnitLifetimeAccount.Empty(rhoCap).TryCharge(PrivacyCost.Zcdp(new Rho(0.1)), rhoCap, out var inRho).ShouldBeTrue();

        inRho.TryCharge(Half, Two, out var after).ShouldBeFalse();
        after.Exhausted.ShouldBeTrue();
        after.Rho.ShouldBe(0.1);
        Should.Throw<ArgumentException>(() => inRho.TryCharge(PrivacyCost.Zcdp(new Rho(0.1)), Two, out _));
    }

    [Fact]
    public void Bytes_RoundTripEveryField_AndRejectMalformed()
    {
        var cap = PrivacyCost.Approximate(new Epsilon(3), new Delta(1e-5));
        UnitLifetimeAccount.Empty(cap).TryCharge(PrivacyCost.Approximate(new Epsilon(1.25), new Delta(1e-7)), cap, out var account).ShouldBeTrue();
        account.TryCharge(PrivacyCost.Pure(new Epsilon(5)), cap, out var exhausted).ShouldBeFalse();

        foreach (var a in new[] { UnitLifetimeAccount.Empty(cap), account, exhausted, UnitLifetimeAccount.Empty(PrivacyCost.Zcdp(new Rho(2))) })
        {
            UnitLifetimeAccount.FromBytes(a.ToBytes()).ShouldBe(a);
        }

        var bytes = exhausted.ToBytes();
        Should.Throw<FormatException>(() => UnitLifetimeAccount.FromBytes(bytes.AsSpan(1)));
        foreach (var (index, value) in new (int, byte)[] { (0, 9), (1, 2), (18, 7) })
        {
            var bad = (byte[])bytes.Clone();
            bad[index] = value;
            Should.Throw<FormatException>(() => UnitLifetimeAccount.FromBytes(bad));
        }

        var negative = (byte[])bytes.Clone();
        BitConverter.GetBytes(-1.0).Reverse().ToArray().CopyTo(negative, 2);
        Should.Throw<FormatException>(() => UnitLifetimeAccount.FromBytes(negative));
    }

    [Fact]
    public void ComposeEvent_FieldsUnderEachCurrency_SumsRoundedUp()
    {
        var laplace = PrivacyCost.Pure(new Epsilon(0.5));
        var gaussian = PrivacyCost.Approximate(new Epsilon(0.3), new Delta(1e-6));

        var basic = UnitLifetimeAccount.ComposeEvent([laplace, gaussian], Two);
        basic.Epsilon.Value.ShouldBeGreaterThanOrEqualTo(0.8);
        basic.Epsilon.Value.ShouldBeLessThan(0.8 + 1e-15);
        basic.Delta.Value.ShouldBe(1e-6);
        UnitLifetimeAccount.ComposeEvent([laplace], Two).Kind.ShouldBe(PrivacyCostKind.PureDp);

        var rho = UnitLifetimeAccount.ComposeEvent([laplace, PrivacyCost.Zcdp(new Rho(0.01))], PrivacyCost.Zcdp(new Rho(1)));
        rho.Rho.Value.ShouldBeGreaterThanOrEqualTo(0.125 + 0.01);
        Should.Throw<ArgumentException>(() => UnitLifetimeAccount.ComposeEvent([gaussian], PrivacyCost.Zcdp(new Rho(1))));
        Should.Throw<ArgumentException>(() => UnitLifetimeAccount.ComposeEvent([], Two));
    }

    [Fact]
    public void EventsWithin_MatchesCharging()
    {
        UnitLifetimeAccount.EventsWithin(Half, Two).ShouldBe(4);
        UnitLifetimeAccount.EventsWithin(Two, Half).ShouldBe(0);
        UnitLifetimeAccount.EventsWithin(PrivacyCost.Zcdp(new Rho(0.125)), PrivacyCost.Zcdp(new Rho(1))).ShouldBe(8);
    }
}
