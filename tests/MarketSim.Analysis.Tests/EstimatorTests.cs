using MarketSim.Analysis;
using MarketSim.Sweeps;

namespace MarketSim.Tests;

public class EstimatorTests
{
    private const int Resamples = 300;

    /// <summary>Runs a function over the Saltelli sample of k unit inputs and returns the estimated indices.</summary>
    private static SobolIndex[] SobolOf(Func<double[], double> f, int n, int k)
    {
        var x = Designs.Saltelli(n, k, secondOrder: false);
        var y = x.Select(f).ToArray();
        int block = k + 2;
        var yA = Enumerable.Range(0, n).Select(i => y[i * block]).ToArray();
        var yB = Enumerable.Range(0, n).Select(i => y[i * block + block - 1]).ToArray();
        var yAB = Enumerable.Range(0, k).Select(j => Enumerable.Range(0, n).Select(i => y[i * block + 1 + j]).ToArray()).ToArray();
        return Estimators.Sobol(yA, yB, yAB, Resamples, seed: 1);
    }

    private static void AssertWithin(double expected, Estimate e, string what)
    {
        Assert.True(e.Low <= expected && expected <= e.High, $"{what}: {expected:F4} outside [{e.Low:F4}, {e.High:F4}] (estimate {e.Value:F4})");
        Assert.True(e.High - e.Low < 0.15, $"{what}: interval [{e.Low:F4}, {e.High:F4}] too wide to mean anything");
    }

    [Fact]
    public void Sobol_Ishigami_N4096_IndicesWithinBootstrapIntervals()
    {
        // Ishigami (a = 7, b = 0.1) on [-π, π]³: analytic S1 = V1/V, V2/V, 0 and ST1 = (V1 + V13)/V, ST2 = V2/V, ST3 = V13/V.
        const double a = 7, b = 0.1;
        double v1 = 0.5 * Math.Pow(1 + b * Math.Pow(Math.PI, 4) / 5, 2);
        double v2 = a * a / 8;
        double v13 = b * b * Math.Pow(Math.PI, 8) * (1.0 / 18 - 1.0 / 50);
        double v = v1 + v2 + v13;
        double[] s1 = [v1 / v, v2 / v, 0];
        double[] st = [(v1 + v13) / v, v2 / v, v13 / v];
        Assert.Equal(0.314, s1[0], 3);
        Assert.Equal(0.244, st[2], 3);
        var idx = SobolOf(u =>
        {
            double x1 = -Math.PI + 2 * Math.PI * u[0], x2 = -Math.PI + 2 * Math.PI * u[1], x3 = -Math.PI + 2 * Math.PI * u[2];
            return Math.Sin(x1) + a * Math.Sin(x2) * Math.Sin(x2) + b * Math.Pow(x3, 4) * Math.Sin(x1);
        }, 4096, 3);
        for (int i = 0; i < 3; i++)
        {
            AssertWithin(s1[i], idx[i].First, $"S1[{i}]");
            AssertWithin(st[i], idx[i].Total, $"ST[{i}]");
        }
    }

    [Fact]
    public void Sobol_GFunction_N4096_IndicesWithinBootstrapIntervals()
    {
        double[] a = [0, 1, 4.5, 9, 99, 99];
        int k = a.Length;
        var vi = a.Select(ai => 1.0 / (3 * (1 + ai) * (1 + ai))).ToArray();
        double v = vi.Aggregate(1.0, (p, x) => p * (1 + x)) - 1;
        var idx = SobolOf(u =>
        {
            double p = 1;
            for (int i = 0; i < k; i++) p *= (Math.Abs(4 * u[i] - 2) + a[i]) / (1 + a[i]);
            return p;
        }, 4096, k);
        for (int i = 0; i < k; i++)
        {
            double first = vi[i] / v;
            double total = vi[i] * Enumerable.Range(0, k).Where(j => j != i).Aggregate(1.0, (p, j) => p * (1 + vi[j])) / v;
            AssertWithin(first, idx[i].First, $"S1[{i}]");
            AssertWithin(total, idx[i].Total, $"ST[{i}]");
        }
        // The important inputs come first, the a = 99 ones last.
        Assert.True(idx[0].Total.Value > idx[1].Total.Value && idx[1].Total.Value > idx[2].Total.Value && idx[3].Total.Value > idx[5].Total.Value);
    }

    [Fact]
    public void Sobol_SameDataAndSeed_SameIntervals()
    {
        static double F(double[] u) => u[0] + 2 * u[1] * u[1];
        var a = SobolOf(F, 256, 2);
        var b = SobolOf(F, 256, 2);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Saltelli_Matrices_HaveThePublishedStructure()
    {
        const int n = 16, k = 3;
        foreach (bool second in new[] { false, true })
        {
            var x = Designs.Saltelli(n, k, second);
            Assert.Equal(16, Designs.SaltelliSkip(n));
            int block = second ? 2 * k + 2 : k + 2;
            Assert.Equal(n * block, x.Length);
            for (int i = 0; i < n; i++)
            {
                // A and B are the two halves of Sobol point 16 + i in dimension 2k (SALib skips the next power of two ≥ N).
                var A = Enumerable.Range(0, k).Select(d => SobolSequence.At(16 + i, d)).ToArray();
                var B = Enumerable.Range(0, k).Select(d => SobolSequence.At(16 + i, k + d)).ToArray();
                Assert.NotEqual(A, B);
                Assert.Equal(A, x[i * block]);
                Assert.Equal(B, x[i * block + block - 1]);
                for (int j = 0; j < k; j++)
                {
                    var ab = x[i * block + 1 + j];
                    for (int d = 0; d < k; d++) Assert.Equal(d == j ? B[d] : A[d], ab[d]);
                    if (!second) continue;
                    var ba = x[i * block + 1 + k + j];
                    for (int d = 0; d < k; d++) Assert.Equal(d == j ? A[d] : B[d], ba[d]);
                }
            }
        }
    }

    [Fact]
    public void Morris_KnownInertInputs_RankLastWithZeroEffect()
    {
        const int k = 6, r = 20, p = 4;
        var x = Designs.Morris(r, k, p, seed: 5);
        // Inputs 2 and 4 do nothing; the others matter in decreasing order 0 > 5 > 1 > 3.
        static double F(double[] u) => 10 * u[0] + 4 * u[1] * u[1] + 2 * u[3] + 6 * u[5] * u[0];
        var y = x.Select(F).ToArray();
        var ee = Estimators.ElementaryEffects(x, y, k);
        Assert.All(ee, e => Assert.Equal(r, e.Length));
        var m = Estimators.Morris(ee, Resamples, seed: 1);
        var ranking = Enumerable.Range(0, k).OrderByDescending(i => m[i].MuStar.Value).ToArray();
        Assert.Equal(new[] { 2, 4 }, ranking[^2..].Order().ToArray());
        Assert.Equal(0.0, m[2].MuStar.Value);
        Assert.Equal(0.0, m[4].Sigma);
        Assert.Equal(0, ranking[0]);
        // A linear input has constant effects: σ = 0 and μ = μ* = its slope.
        Assert.Equal(2.0, m[3].MuStar.Value, 12);
        Assert.Equal(0.0, m[3].Sigma, 12);
    }

    [Fact]
    public void Morris_Design_StepsOneInputByDeltaPerRowOnTheGrid()
    {
        const int k = 4, r = 8, p = 6;
        var x = Designs.Morris(r, k, p, seed: 2);
        double delta = Designs.MorrisDelta(p);
        for (int t = 0; t < r; t++)
        {
            var changed = new HashSet<int>();
            for (int s = 0; s < k; s++)
            {
                var before = x[t * (k + 1) + s];
                var after = x[t * (k + 1) + s + 1];
                var diff = Enumerable.Range(0, k).Where(d => before[d] != after[d]).ToArray();
                Assert.Single(diff);
                Assert.Equal(delta, Math.Abs(after[diff[0]] - before[diff[0]]), 12);
                Assert.True(changed.Add(diff[0]));
            }
            Assert.All(x.Skip(t * (k + 1)).Take(k + 1).SelectMany(row => row), u => Assert.True(u >= 0 && u <= 1));
        }
    }

    [Fact]
    public void StandardisedRegression_LinearModel_RecoversCoefficients()
    {
        var x = Designs.Sobol(512, 3);
        var cols = Enumerable.Range(0, 3).Select(d => x.Select(r => r[d]).ToArray()).ToArray();
        var y = x.Select(r => 3 * r[0] - 1 * r[1]).ToArray();
        var (src, r2) = Estimators.StandardisedRegression(cols, y);
        Assert.Equal(1.0, r2, 9);
        Assert.Equal(0.0, src[2], 6);
        // For independent uniform inputs, SRC_i² are the shares of variance: 9/10 and 1/10.
        Assert.Equal(0.9, src[0] * src[0], 2);
        Assert.Equal(-Math.Sqrt(0.1), src[1], 2);
    }
}
