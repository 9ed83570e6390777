using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Model;

/// <summary>
/// Cohort traits are the mid-point quantiles (i + 0.5) / n of each distribution. Expected values come from closed
/// forms (uniform, exponential, a beta with a polynomial CDF, the normal's known 75 % point), not from the library the
/// code calls.
/// </summary>
public class CohortQuantileTests
{
    private const int N = 4;
    private static readonly double[] Mid = [0.125, 0.375, 0.625, 0.875];

    [Fact]
    public void Constant_EveryCohortHasTheValue() =>
        Assert.Equal([3.5, 3.5, 3.5, 3.5], Cohorts.Quantiles(new DistributionSpec { Distribution = "constant", Value = 3.5 }, N));

    [Fact]
    public void Uniform_MidPointsOfEqualSlices()
    {
        var q = Cohorts.Quantiles(new DistributionSpec { Distribution = "uniform", Min = 2, Max = 6 }, N);
        Assert.Equal([2.5, 3.5, 4.5, 5.5], q);
    }

    [Fact]
    public void Normal_SymmetricAboutTheMean_AtTheKnownQuantiles()
    {
        var q = Cohorts.Quantiles(new DistributionSpec { Distribution = "normal", Mean = 10, Sd = 2 }, 2);
        // p = 0.25 and 0.75: the mean ∓ 0.6744897501960817 standard deviations.
        Assert.Equal(10 - 2 * 0.6744897501960817, q[0], 1e-9);
        Assert.Equal(10 + 2 * 0.6744897501960817, q[1], 1e-9);
    }

    [Fact]
    public void LogNormal_IsTheExponentialOfTheNormalQuantiles()
    {
        var q = Cohorts.Quantiles(new DistributionSpec { Distribution = "lognormal", Mu = 1, Sigma = 0.5 }, 2);
        Assert.Equal(Math.Exp(1 - 0.5 * 0.6744897501960817), q[0], 1e-9);
        Assert.Equal(Math.Exp(1 + 0.5 * 0.6744897501960817), q[1], 1e-9);
    }

    [Fact]
    public void Gamma_WithShapeOne_IsTheExponentialQuantile()
    {
        // Shape 1, rate λ: F(x) = 1 − e^(−λx), so x = −ln(1 − p) / λ (rate, not scale: λ = 4 gives a mean of 0.25).
        var q = Cohorts.Quantiles(new DistributionSpec { Distribution = "gamma", Shape = 1, Rate = 4 }, N);
        for (int i = 0; i < N; i++) Assert.Equal(-Math.Log(1 - Mid[i]) / 4, q[i], 1e-9);
    }

    [Fact]
    public void Beta_WithPolynomialCdf_GivesItsInverse()
    {
        // Beta(2, 1): F(x) = x², so x = √p; Beta(1, 1) is the uniform on [0, 1].
        var q = Cohorts.Quantiles(new DistributionSpec { Distribution = "beta", A = 2, B = 1 }, N);
        for (int i = 0; i < N; i++) Assert.Equal(Math.Sqrt(Mid[i]), q[i], 1e-9);
        Assert.Equal(Mid, Cohorts.Quantiles(new DistributionSpec { Distribution = "beta", A = 1, B = 1 }, N), (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void UnknownDistribution_IsRefusedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => Cohorts.Quantiles(new DistributionSpec { Distribution = "cauchy" }, N));
        Assert.Contains("cauchy", e.Message);
    }

    [Fact]
    public void Quantiles_Repeated_SameValuesAndTheCallersCopyIsItsOwn()
    {
        // Quantiles are memoised per process: a caller that shuffles its array (as the cohorts do) must not change
        // what the next caller gets, and a distribution differing in one parameter must not be given another's.
        var gamma = new DistributionSpec { Distribution = "gamma", Shape = 2.5, Rate = 2 };
        var first = Cohorts.Quantiles(gamma, N);
        var expected = (double[])first.Clone();
        Array.Fill(first, -1.0);
        Assert.Equal(expected, Cohorts.Quantiles(gamma, N));
        var other = Cohorts.Quantiles(new DistributionSpec { Distribution = "gamma", Shape = 2.5, Rate = 4 }, N);
        for (int i = 0; i < N; i++) Assert.Equal(expected[i] / 2, other[i], 1e-6);
        Assert.Equal(N + 1, Cohorts.Quantiles(gamma, N + 1).Length);
    }
}
