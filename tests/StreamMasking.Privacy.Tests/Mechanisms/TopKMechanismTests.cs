using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Tests.Mechanisms;

public class TopKMechanismTests
{
    [Fact]
    public void Select_ClearWinners_ChosenWithHighProbability()
    {
        var random = new SeededRandomSource(401);
        string[] candidates = ["a", "b", "c", "d", "e"];
        double[] scores = [1000, 5, 990, 3, 0];
        for (var i = 0; i < 200; i++)
        {
            var release = TopKMechanism.Select(random, candidates, scores, 2, 1, new Epsilon(1));
            release.Selected.Order().ShouldBe(["a", "c"]);
            release.Mechanism.ShouldBe("permute-and-flip-top-k");
        }
    }

    // Permute-and-flip with two candidates and score gap g: P(second) = e^{−εg/(2Δ)}/2 exactly. 10^5 draws,
    // 5 SE (false-failure rate below 6e-7).
    [Fact]
    public void Select_TwoCandidates_MatchesExactProbability()
    {
        var random = new SeededRandomSource(402);
        const int n = 100_000;
        var second = 0;
        for (var i = 0; i < n; i++)
        {
            second += TopKMechanism.Select(random, ["a", "b"], [3.0, 1.5], 1, 1, new Epsilon(0.8)).Selected[0] == "b" ? 1 : 0;
        }

        var p = Math.Exp(-0.8 * 1.5 / 2) / 2;
        Math.Abs(((double)second / n) - p).ShouldBeLessThan(5 * Math.Sqrt(p * (1 - p) / n));
    }

    [Fact]
    public void Select_InvalidArguments_Throw()
    {
        var random = new SeededRandomSource(1);
        Should.Throw<ArgumentOutOfRangeException>(() => TopKMechanism.Select(random, ["a"], [1.0], 2, 1, new Epsilon(1)));
        Should.Throw<ArgumentException>(() => TopKMechanism.Select(random, ["a", "b"], [1.0], 1, 1, new Epsilon(1)));
        Should.Throw<ArgumentOutOfRangeException>(() => TopKMechanism.Select(random, ["a"], [1.0], 1, 0, new Epsilon(1)));
    }
}
