using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Privacy.Tests.Mechanisms;

public class AnalyticGaussianTests
{
    [Theory]
    [InlineData(1.0, 0.5, 1e-5)]
    [InlineData(1.0, 0.1, 1e-9)]
    [InlineData(3.0, 0.9, 1e-6)]
    public void Sigma_SmallEpsilon_SmallerThanClassicBound(double sensitivity, double epsilon, double delta)
    {
        var sigma = AnalyticGaussian.Sigma(sensitivity, epsilon, delta);
        sigma.ShouldBeLessThan(AnalyticGaussian.ClassicSigma(sensitivity, epsilon, delta));
    }

    [Theory]
    [InlineData(1.0, 0.5, 1e-5)]
    [InlineData(2.0, 1.0, 1e-6)]
    [InlineData(1.0, 5.0, 1e-3)]
    [InlineData(0.25, 0.01, 1e-10)]
    public void Sigma_AnyParameters_SatisfiesBalleWangConditionTightly(double sensitivity, double epsilon, double delta)
    {
        var sigma = AnalyticGaussian.Sigma(sensitivity, epsilon, delta);
        var achieved = AnalyticGaussian.Delta(sigma, sensitivity, epsilon);
        achieved.ShouldBeLessThanOrEqualTo(delta);
        (delta - achieved).ShouldBeLessThan(1e-9 * Math.Max(1, delta));

        // A hair less noise must violate the condition: σ is the smallest, not merely a valid, value.
        AnalyticGaussian.Delta(sigma * (1 - 1e-6), sensitivity, epsilon).ShouldBeGreaterThan(delta);
    }

    [Fact]
    public void DiscreteGaussianCalibration_Scalar_DeltaBoundHoldsAndCostsLittle()
    {
        var noise = NoiseParameters.Gaussian(1.0, 1e-6);
        var calibrated = CalibratedNoise.Create(noise, 1, 1.0, 0.95);
        var continuous = AnalyticGaussian.Sigma(1.0, 1.0, 1e-6);
        calibrated.Scale.ShouldBeGreaterThanOrEqualTo(continuous);
        calibrated.Scale.ShouldBeLessThan(continuous * 1.001);
        var steps = (ulong)(calibrated.Scale / calibrated.Granularity);
        var sensitivitySteps = (ulong)Math.Ceiling(1.0 / calibrated.Granularity);
        DiscreteGaussianPrivacy.DeltaUpperBound(steps, sensitivitySteps, 1.0).ShouldBeLessThanOrEqualTo(1e-6);
    }
}
