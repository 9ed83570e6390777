using MarketSim.Randomness;
using MarketSim.Scenarios;
using MathNet.Numerics.Distributions;

namespace MarketSim.Model;

/// <summary>
/// Consumer traits, per tier and cohort. Agents carry only a cohort id: traits are stratified quantiles of the
/// scenario's distributions (one per cohort and trait, randomly paired across traits), which represents each
/// distribution more evenly than independent draws and keeps per-agent state at two bytes.
/// </summary>
public sealed class Cohorts
{
    /// <summary>Cohorts per tier.</summary>
    public int Count { get; }

    /// <summary>Weight of log effective price, [tier][cohort] (already divided by the tier's income index).</summary>
    public double[][] PriceSensitivity { get; }

    /// <summary>Weight of quality, [tier][cohort].</summary>
    public double[][] QualitySensitivity { get; }

    /// <summary>Content affinity in [0,1], [tier][cohort].</summary>
    public double[][] ContentAffinity { get; }

    /// <summary>Social propensity in [0,1], [tier][cohort].</summary>
    public double[][] SocialPropensity { get; }

    /// <summary>Average order value in yuan (income-adjusted), [tier][cohort].</summary>
    public double[][] OrderValueYuan { get; }

    /// <summary>Orders per week, [tier][cohort].</summary>
    public double[][] OrdersPerWeek { get; }

    /// <summary>Index of the streamer community followed, or -1, [tier][cohort].</summary>
    public int[][] Follows { get; }

    internal Cohorts(Scenario s, double[] incomeIndex, double[][] followerShare)
    {
        int tiers = incomeIndex.Length;
        Count = s.Population.CohortsPerTier;
        var traits = s.Population.Traits;
        PriceSensitivity = new double[tiers][];
        QualitySensitivity = new double[tiers][];
        ContentAffinity = new double[tiers][];
        SocialPropensity = new double[tiers][];
        OrderValueYuan = new double[tiers][];
        OrdersPerWeek = new double[tiers][];
        Follows = new int[tiers][];
        for (int t = 0; t < tiers; t++)
        {
            ulong key = CounterRandom.StreamKey(s.Seed, StreamPurpose.Traits, t);
            ulong counter = 0;
            double[] Draw(DistributionSpec d)
            {
                var values = Quantiles(d, Count);
                // Fisher–Yates with counter-based draws pairs traits at random across cohorts.
                for (int i = Count - 1; i > 0; i--)
                {
                    int j = CounterRandom.Below(CounterRandom.At(key, counter++), i + 1);
                    (values[i], values[j]) = (values[j], values[i]);
                }
                return values;
            }
            PriceSensitivity[t] = Draw(traits.PriceSensitivity).Select(v => v / incomeIndex[t]).ToArray();
            QualitySensitivity[t] = Draw(traits.QualitySensitivity);
            ContentAffinity[t] = Draw(traits.ContentAffinity).Select(v => Math.Clamp(v, 0, 1)).ToArray();
            SocialPropensity[t] = Draw(traits.SocialPropensity).Select(v => Math.Clamp(v, 0, 1)).ToArray();
            OrderValueYuan[t] = Draw(traits.OrderValueYuan).Select(v => Math.Clamp(v, 0, ScenarioLimits.MaxOrderValueYuan) * incomeIndex[t]).ToArray();
            OrdersPerWeek[t] = Draw(traits.OrdersPerWeek).Select(v => Math.Max(0, v)).ToArray();

            double meanAffinity = ContentAffinity[t].Average();
            Follows[t] = new int[Count];
            for (int c = 0; c < Count; c++)
            {
                // Following scales with content affinity so that the tier-level share stays as configured.
                double scale = meanAffinity > 0 ? ContentAffinity[t][c] / meanAffinity : 1;
                double u = CounterRandom.ToUnit(CounterRandom.At(key, counter++));
                double cumulative = 0;
                Follows[t][c] = -1;
                for (int g = 0; g < followerShare.Length; g++)
                {
                    cumulative += Math.Min(1, followerShare[g][t] * scale);
                    if (u < cumulative) { Follows[t][c] = g; break; }
                }
            }
        }
    }

    // The quantiles of a distribution are a pure function of its parameters: a calibration, a comparison or the studio
    // compiles the same trait distributions hundreds of times in one process, and MathNet's inverse CDFs (a root search
    // per quantile for gamma and beta) were 6 % of a default-calibration evaluation. Keyed on the parameters' bits.
    private readonly record struct QuantileKey(string Distribution, long Value, long Min, long Max, long Mean, long Sd, long Mu, long Sigma,
        long Shape, long Rate, long A, long B, int N);

    private const int MaxCachedQuantiles = 256;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<QuantileKey, double[]> quantileCache = new();

    /// <summary>Mid-point quantiles (i + 0.5) / n of a distribution (a new array the caller may change).</summary>
    public static double[] Quantiles(DistributionSpec d, int n)
    {
        ArgumentNullException.ThrowIfNull(d);
        static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);
        var key = new QuantileKey(d.Distribution, Bits(d.Value), Bits(d.Min), Bits(d.Max), Bits(d.Mean), Bits(d.Sd), Bits(d.Mu), Bits(d.Sigma),
            Bits(d.Shape), Bits(d.Rate), Bits(d.A), Bits(d.B), n);
        if (quantileCache.TryGetValue(key, out var cached)) return (double[])cached.Clone();
        var q = Compute(d, n);
        if (quantileCache.Count >= MaxCachedQuantiles) quantileCache.Clear();
        quantileCache.TryAdd(key, q);
        return (double[])q.Clone();
    }

    private static double[] Compute(DistributionSpec d, int n)
    {
        var q = new double[n];
        for (int i = 0; i < n; i++)
        {
            double p = (i + 0.5) / n;
            q[i] = d.Distribution switch
            {
                "constant" => d.Value,
                "uniform" => d.Min + p * (d.Max - d.Min),
                "normal" => Normal.InvCDF(d.Mean, d.Sd, p),
                "lognormal" => LogNormal.InvCDF(d.Mu, d.Sigma, p),
                "gamma" => Gamma.InvCDF(d.Shape, d.Rate, p),
                "beta" => Beta.InvCDF(d.A, d.B, p),
                _ => throw new ArgumentException($"unknown distribution '{d.Distribution}'"),
            };
        }
        return q;
    }
}
