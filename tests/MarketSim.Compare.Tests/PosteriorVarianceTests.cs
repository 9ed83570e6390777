using MarketSim.Compare;
using MarketSim.Randomness;

namespace MarketSim.Tests;

/// <summary>The law-of-total-variance statistics of compare under a posterior ensemble (issue 28).</summary>
public sealed class PosteriorVarianceTests
{
    private static double Gauss(ulong key, ulong n)
    {
        double u1 = 1.0 - CounterRandom.ToUnit(CounterRandom.At(key, 2 * n)), u2 = CounterRandom.ToUnit(CounterRandom.At(key, 2 * n + 1));
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    [Fact]
    public void OneDraw_IsTodaysIntervalOverReplications_BitForBit_AllMonteCarlo()
    {
        double[] d = [3.1, 2.4, 5.0, 4.2, 3.3];
        var p = PosteriorVariance.Summarise([d]);
        int n = 1;
        double[] s = new double[n], b = new double[n], mean = new double[n];
        double?[] sd = new double?[n], low = new double?[n], high = new double?[n];
        bool?[] significant = new bool?[n];
        double?[] share = new double?[n];
        ComparisonTable.Summarise(d, d, d, ComparisonTable.TQuantile(d.Length), 0, 0, s, b, mean, sd, low, high, significant, share);
        Assert.Null(share[0]); // no posterior: no parameter share
        var one = DifferenceStatistics.Of(d, ComparisonTable.TQuantile(d.Length), 1);
        Assert.Equal(BitConverter.DoubleToInt64Bits(mean[0]), BitConverter.DoubleToInt64Bits(one.Mean));
        Assert.Equal(BitConverter.DoubleToInt64Bits(sd[0]!.Value), BitConverter.DoubleToInt64Bits(one.Sd!.Value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(low[0]!.Value), BitConverter.DoubleToInt64Bits(one.Low!.Value));
        Assert.Equal(0, one.ParameterShare);
        Assert.Equal(BitConverter.DoubleToInt64Bits(mean[0]), BitConverter.DoubleToInt64Bits(p.Mean));
        Assert.Equal(BitConverter.DoubleToInt64Bits(low[0]!.Value), BitConverter.DoubleToInt64Bits(p.Mean - p.HalfWidth));
        Assert.Equal(BitConverter.DoubleToInt64Bits(high[0]!.Value), BitConverter.DoubleToInt64Bits(p.Mean + p.HalfWidth));
        Assert.Equal(0, p.ParameterVariance);
        Assert.Equal(0, p.ParameterShare);
    }

    [Fact]
    public void ManyDraws_SplitsKnownVariancesAndTheSharesAddUpToOne()
    {
        // d[k][r] = μ_k + ε: Var(μ) = 4 across draws, Var(ε) = 1 within, R = 5: parameter 4, Monte-Carlo 1/5 = 0.2.
        const int K = 2000, R = 5;
        ulong key = CounterRandom.Mix(77);
        var draws = Enumerable.Range(0, K).Select(k =>
        {
            double mu = 10 + 2 * Gauss(key, (ulong)(k * (R + 1)));
            return Enumerable.Range(0, R).Select(r => mu + Gauss(key, (ulong)(k * (R + 1) + 1 + r))).ToArray();
        }).ToList();
        var p = PosteriorVariance.Summarise(draws);
        // Sampling error of a variance from 2000 draws: sd ≈ 4·sqrt(2/2000) ≈ 0.13; of the pooled within variance ≈ 0.007.
        Assert.InRange(p.ParameterVariance, 4 - 0.45, 4 + 0.45);
        Assert.InRange(p.MonteCarloVariance, 0.2 - 0.02, 0.2 + 0.02);
        Assert.InRange(p.Mean, 10 - 0.15, 10 + 0.15);
        double share = p.ParameterShare!.Value;
        Assert.Equal(1.0, share + p.MonteCarloVariance / p.TotalVariance, 12);
        Assert.InRange(share, 0.93, 0.97);
        // About 1.96 sd of the total: the interval is for the effect, not for the mean over draws.
        Assert.InRange(p.HalfWidth, 1.9 * Math.Sqrt(4.2) * 0.9, 2.0 * Math.Sqrt(4.2) * 1.1);
    }

    [Fact]
    public void DrawsThatAgree_LeaveOnlyMonteCarloVariance()
    {
        // Every draw the same replications: the between-draw variance is 0, below W/R, so the parameter part is 0.
        double[] d = [1, 2, 3, 4];
        var p = PosteriorVariance.Summarise([d, d, d]);
        Assert.Equal(0, p.ParameterVariance);
        Assert.Equal(0, p.ParameterShare);
        Assert.True(p.HalfWidth > 0);
    }
}
