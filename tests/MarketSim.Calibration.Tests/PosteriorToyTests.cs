using MarketSim.Calibration.Posterior;
using MarketSim.Randomness;
using MathNet.Numerics.Distributions;

namespace MarketSim.Tests;

/// <summary>
/// History matching and ABC-SMC on toy models whose answers are known in closed form: the algorithms are a pure library,
/// so these run in milliseconds per replicate and can be repeated hundreds of times.
/// </summary>
public sealed class PosteriorToyTests
{
    /// <summary>
    /// The Gaussian mean: μ ~ uniform(−10, 10) (u = (μ + 10) / 20 in the unit cube), observed summary s = μ + τ·ε
    /// (the mean of n draws of variance σ², τ = σ/√n = 1). Posterior: N(s_obs, τ²) truncated to (−10, 10), which for
    /// |s_obs| ≤ 4 is N(s_obs, 1) to within 10⁻¹⁵.
    /// </summary>
    private sealed class GaussianMean(ulong seed) : IPosteriorModel
    {
        public const double Low = -10, High = 10, Tau = 1;

        public int Dimensions => 1;

        public static double Mu(double u) => Low + u * (High - Low);

        public IReadOnlyList<SimulatedPoint> Simulate(IReadOnlyList<double[]> unitPoints, IReadOnlyList<ulong> streams, CancellationToken ct) =>
            [.. unitPoints.Select((u, i) => new SimulatedPoint([Mu(u[0]) + Tau * Gauss(seed, streams[i], 0)], [0], 1))];
    }

    private static double Gauss(ulong seed, ulong stream, ulong n)
    {
        ulong key = CounterRandom.Mix(CounterRandom.Mix(seed) + stream * CounterRandom.Gamma);
        double u1 = 1.0 - CounterRandom.ToUnit(CounterRandom.At(key, 2 * n)), u2 = CounterRandom.ToUnit(CounterRandom.At(key, 2 * n + 1));
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static Observations One(double observed) => new([observed], [GaussianMean.Tau * GaussianMean.Tau], [0], [1]);

    private static (double Mean, double Low, double High) Summary(Generation g)
    {
        var mu = g.Particles.Select(p => GaussianMean.Mu(p.Point[0])).ToArray();
        var w = g.Particles.Select(p => p.Weight).ToArray();
        double mean = 0;
        for (int i = 0; i < mu.Length; i++) mean += w[i] * mu[i];
        return (mean, AbcSmc.WeightedQuantile(mu, w, 0.05), AbcSmc.WeightedQuantile(mu, w, 0.95));
    }

    [Fact]
    public void AbcSmc_GaussianMean_WeightedMeanAndNinetyPercentIntervalMatchTheExactPosterior()
    {
        const double observed = 1.3;
        var obs = One(observed);
        var settings = new AbcSettings(Population: 2000, Quantile: 0.5, MinEpsilon: 0.05, MinAcceptance: 0.005, MaxGenerations: 20, Seed: 11);
        var generations = AbcSmc.Run(new GaussianMean(5), obs.Distance, Box.Unit(1), settings, batch: 2);
        var final = AbcSmc.Final(generations);
        Assert.True(final.Epsilon <= 0.05, $"stopped at ε = {final.Epsilon}, not by the threshold");
        var (mean, low, high) = Summary(final);
        // Monte-Carlo error with an effective sample of ~1000: the mean's sd ≈ τ/√1000 ≈ 0.03, a 5 % quantile's ≈
        // sqrt(0.05·0.95/1000)/φ(1.645) ≈ 0.07; the tolerances are about three of those. ε = 0.05 widens the
        // posterior's sd by a factor sqrt(1 + ε²/3), which is negligible here.
        Assert.True(final.EffectiveSampleSize > 500, $"ESS {final.EffectiveSampleSize}");
        Assert.InRange(mean, observed - 0.1, observed + 0.1);
        Assert.InRange(low, observed - 1.6449 - 0.2, observed - 1.6449 + 0.2);
        Assert.InRange(high, observed + 1.6449 - 0.2, observed + 1.6449 + 0.2);
        // Thresholds fall generation by generation.
        for (int t = 2; t < generations.Count; t++) Assert.True(generations[t].Epsilon <= generations[t - 1].Epsilon);
    }

    [Fact]
    public void AbcSmc_GaussianMean_NinetyPercentIntervalsCoverTheTruthAtTheirRate()
    {
        const int replicates = 200;
        int covered = 0;
        for (int r = 0; r < replicates; r++)
        {
            ulong seed = 1000 + (ulong)r;
            double truth = -3 + 6 * CounterRandom.ToUnit(CounterRandom.At(CounterRandom.Mix(seed), 7));
            double observed = truth + GaussianMean.Tau * Gauss(seed ^ 0xABCDEF, 1, 0);
            var settings = new AbcSettings(Population: 300, Quantile: 0.5, MinEpsilon: 0.1, MinAcceptance: 0.01, MaxGenerations: 15, Seed: seed);
            var (_, low, high) = Summary(AbcSmc.Final(AbcSmc.Run(new GaussianMean(seed * 31), One(observed).Distance, Box.Unit(1), settings, batch: 64)));
            if (truth >= low && truth <= high) covered++;
        }
        // Exact 90 % intervals would cover Binomial(200, 0.9) times: 99.8 % of the time within these bounds.
        var binomial = new Binomial(0.9, replicates);
        int lo = Enumerable.Range(0, replicates + 1).First(k => binomial.CumulativeDistribution(k) >= 0.001);
        int hi = Enumerable.Range(0, replicates + 1).First(k => binomial.CumulativeDistribution(k) >= 0.999);
        Assert.InRange(covered, lo, hi);
    }

    [Fact]
    public void AbcSmc_SameSeed_SameParticlesWhateverTheBatchSize()
    {
        var settings = new AbcSettings(Population: 200, Quantile: 0.5, MinEpsilon: 0.2, MinAcceptance: 0.01, MaxGenerations: 8, Seed: 3);
        var one = AbcSmc.Final(AbcSmc.Run(new GaussianMean(9), One(0.5).Distance, Box.Unit(1), settings, batch: 1));
        var many = AbcSmc.Final(AbcSmc.Run(new GaussianMean(9), One(0.5).Distance, Box.Unit(1), settings, batch: 97));
        Assert.Equal(one.Particles.Select(p => BitConverter.DoubleToInt64Bits(p.Point[0])), many.Particles.Select(p => BitConverter.DoubleToInt64Bits(p.Point[0])));
        Assert.Equal(one.Particles.Select(p => p.Weight), many.Particles.Select(p => p.Weight));
        Assert.Equal(one.Proposals, many.Proposals);
    }

    [Fact]
    public void AbcSmc_AcceptanceFloor_AbandonsTheGenerationAndKeepsThePreviousOne()
    {
        // A threshold no simulation can reach (the model's noise alone exceeds it almost always) with a high floor.
        var settings = new AbcSettings(Population: 100, Quantile: 0.5, MinEpsilon: 1e-9, MinAcceptance: 0.2, MaxGenerations: 30, Seed: 4);
        var generations = AbcSmc.Run(new GaussianMean(2), One(0).Distance, Box.Unit(1), settings, batch: 8);
        Assert.True(generations.Count < 31);
        var final = AbcSmc.Final(generations);
        Assert.Equal(100, final.Particles.Count);
        Assert.True(!generations[^1].Complete || generations[^1].AcceptanceRate < 0.2);
    }

    /// <summary>
    /// Three targets of two parameters in the unit square, f = (2θ₁ + θ₂, θ₁ − θ₂, 3θ₁θ₂), each replication adding noise of
    /// sd 0.02, observed with error of sd 0.1 (the observation variance the implausibility is told).
    /// </summary>
    private sealed class ThreeTargets(ulong seed) : IPosteriorModel
    {
        public const double NoiseSd = 0.02, ObservationSd = 0.1;
        public const int Replications = 3;

        public int Dimensions => 2;

        public static double[] F(double[] u) => [2 * u[0] + u[1], u[0] - u[1], 3 * u[0] * u[1]];

        public IReadOnlyList<SimulatedPoint> Simulate(IReadOnlyList<double[]> unitPoints, IReadOnlyList<ulong> streams, CancellationToken ct) =>
            [.. unitPoints.Select((u, i) => SimulatedPoint.FromReplications([.. Enumerable.Range(0, Replications).Select(r =>
                F(u).Select((f, t) => f + NoiseSd * Gauss(seed, streams[i], (ulong)(r * 3 + t))).ToArray())]))];
    }

    [Fact]
    public void HistoryMatching_TruthIsRuledOutNoMoreOftenThanTheCutoffPromises_AndTheRegionShrinks()
    {
        const int replicates = 300;
        var settings = new HistoryMatchingSettings(Waves: 3, Points: 150, Cutoff: 3, Seed: 1);
        int ruledOut = 0;
        double share = 0;
        for (int r = 0; r < replicates; r++)
        {
            ulong seed = 5000 + (ulong)r;
            double[] truth = [0.1 + 0.8 * CounterRandom.ToUnit(CounterRandom.At(seed, 0)), 0.1 + 0.8 * CounterRandom.ToUnit(CounterRandom.At(seed, 1))];
            var f = ThreeTargets.F(truth);
            var observed = f.Select((v, t) => v + ThreeTargets.ObservationSd * Gauss(seed ^ 0x55, 0, (ulong)t)).ToArray();
            var obs = new Observations(observed, [.. Enumerable.Repeat(ThreeTargets.ObservationSd * ThreeTargets.ObservationSd, 3)], [0, 0, 0], [1, 1, 1]);
            var waves = HistoryMatching.Run(new ThreeTargets(seed), obs, settings);
            if (!waves[^1].Next!.Contains(truth)) ruledOut++;
            share += waves[^1].ShareOfPrior / replicates;
        }
        // With Gaussian errors a cut-off of 3 rules the truth out of one target with probability 2(1 − Φ(3)) = 0.27 %,
        // of the largest of three at most 1 − (1 − 0.0027)³ = 0.81 %; the box may lose the truth only where kept points
        // are sparse, which its margin is there to prevent. Bound: 99.9 % point of Binomial(300, 0.0081).
        double promised = 1 - Math.Pow(1 - 2 * (1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, 3)), 3);
        var binomial = new Binomial(promised, replicates);
        int bound = Enumerable.Range(0, replicates + 1).First(k => binomial.CumulativeDistribution(k) >= 0.999);
        Assert.True(ruledOut <= bound, $"truth ruled out in {ruledOut} of {replicates} replicates (bound {bound})");
        // Three targets of two parameters pin them down: the waves keep a small part of the prior.
        Assert.True(share < 0.15, $"mean share of prior space left {share:P1}");
    }

    [Fact]
    public void Implausibility_IsTheStandardisedErrorWithEveryVarianceTerm()
    {
        var obs = new Observations([10, 5], [4, 1], [5, 0], [1, 0]);
        var s = new SimulatedPoint([16, 100], [6, 1], 2);
        // |10 − 16| / sqrt(4 + 5 + 6/2) = 6 / sqrt(12).
        Assert.Equal(6 / Math.Sqrt(12), obs.Implausibility(s, 0), 12);
        // The second target has weight 0: it rules nothing out, however far off.
        Assert.Equal(6 / Math.Sqrt(12), obs.MaxImplausibility(s), 12);
        // Distance: sqrt(w · 36 / (4 + 5) / w).
        Assert.Equal(2, obs.Distance(s), 12);
    }

    [Fact]
    public void RankedImplausibility_SecondAndThirdLargestIgnoreTheWorstFigures()
    {
        // Standardised errors 5, 1, 4, 2 (unit variances), and a fifth figure weighted 0 that would be 100.
        var obs = new Observations([0, 0, 0, 0, 0], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0], [1, 1, 1, 1, 0]);
        var s = new SimulatedPoint([5, 1, -4, 2, 100], [0, 0, 0, 0, 0], 1);
        Assert.Equal(5, obs.RankedImplausibility(s, 1), 12);
        Assert.Equal(4, obs.RankedImplausibility(s, 2), 12);
        Assert.Equal(2, obs.RankedImplausibility(s, 3), 12);
        // Cut-off 4.5: with rank 2 a point one figure rules out (5 > 4.5) is kept; with the largest it is not.
        var waves = HistoryMatching.Run(new Constant(s), obs, new HistoryMatchingSettings(1, 4, 4.5, 1, Rank: 2));
        Assert.Equal(4, waves[0].KeptCount);
        Assert.Throws<NothingPlausibleException>(() => HistoryMatching.Run(new Constant(s), obs, new HistoryMatchingSettings(1, 4, 4.5, 1)));
    }

    private sealed class Constant(SimulatedPoint s) : IPosteriorModel
    {
        public int Dimensions => 1;

        public IReadOnlyList<SimulatedPoint> Simulate(IReadOnlyList<double[]> unitPoints, IReadOnlyList<ulong> streams, CancellationToken ct) =>
            [.. unitPoints.Select(_ => s)];
    }
}
