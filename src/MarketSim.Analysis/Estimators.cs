using MarketSim.Randomness;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Statistics;

namespace MarketSim.Analysis;

/// <summary>An estimate with a 95 % interval (null bounds when there is none).</summary>
/// <param name="Value">Point estimate.</param>
/// <param name="Low">Lower end of the 95 % interval.</param>
/// <param name="High">Upper end.</param>
public readonly record struct Estimate(double Value, double? Low, double? High);

/// <summary>First-order and total Sobol' indices of one input.</summary>
/// <param name="First">S1, Saltelli (2010) estimator.</param>
/// <param name="Total">ST, Jansen (1999) estimator.</param>
public readonly record struct SobolIndex(Estimate First, Estimate Total);

/// <summary>Morris elementary-effect statistics of one input.</summary>
/// <param name="Mu">Mean elementary effect μ.</param>
/// <param name="MuStar">Mean absolute elementary effect μ* with a bootstrap interval.</param>
/// <param name="Sigma">Standard deviation σ of the elementary effects (divisor r − 1).</param>
/// <param name="Effects">Elementary effects found (one per trajectory).</param>
public readonly record struct MorrisIndex(double Mu, Estimate MuStar, double Sigma, int Effects);

/// <summary>
/// Variance-based and screening estimators, following SALib (analyze/sobol.py, analyze/morris.py): the same formulas,
/// with percentile bootstrap intervals drawn from a fixed seed so that an analysis is a pure function of its data.
/// </summary>
public static class Estimators
{
    private const ulong BootstrapPurpose = 0x414E_4C59_424F_4F54; // "ANLYBOOT"

    /// <summary>
    /// Sobol' indices from a Saltelli sample's outputs: <paramref name="yA"/>, <paramref name="yB"/> (N each) and
    /// <paramref name="yAB"/>[i] (N each, A with column i from B). S1_i = mean(yB·(yAB_i − yA)) / V (Saltelli 2010),
    /// ST_i = mean((yA − yAB_i)²) / (2V) (Jansen), V the variance of yA and yB together (divisor 2N). Intervals: 2.5 and
    /// 97.5 percentiles of <paramref name="resamples"/> bootstrap estimates (base points drawn with replacement).
    /// </summary>
    public static SobolIndex[] Sobol(double[] yA, double[] yB, double[][] yAB, int resamples, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(yA);
        ArgumentNullException.ThrowIfNull(yB);
        ArgumentNullException.ThrowIfNull(yAB);
        int n = yA.Length, k = yAB.Length;
        var all = Enumerable.Range(0, n).ToArray();
        var result = new SobolIndex[k];
        var bootIdx = BootstrapIndices(n, resamples, seed);
        for (int i = 0; i < k; i++)
        {
            var (s1, st) = SobolAt(yA, yB, yAB[i], all);
            var b1 = new double[resamples];
            var bt = new double[resamples];
            for (int b = 0; b < resamples; b++) (b1[b], bt[b]) = SobolAt(yA, yB, yAB[i], bootIdx[b]);
            result[i] = new SobolIndex(WithPercentiles(s1, b1), WithPercentiles(st, bt));
        }
        return result;
    }

    private static (double First, double Total) SobolAt(double[] yA, double[] yB, double[] yABi, int[] idx)
    {
        int n = idx.Length;
        double mean = 0;
        foreach (int j in idx) mean += yA[j] + yB[j];
        mean /= 2 * n;
        double v = 0, first = 0, total = 0;
        foreach (int j in idx)
        {
            v += (yA[j] - mean) * (yA[j] - mean) + (yB[j] - mean) * (yB[j] - mean);
            first += yB[j] * (yABi[j] - yA[j]);
            total += (yA[j] - yABi[j]) * (yA[j] - yABi[j]);
        }
        v /= 2 * n;
        if (v <= 0) return (0, 0); // a constant output: no input explains any variance
        return (first / n / v, total / (2.0 * n) / v);
    }

    /// <summary>
    /// Morris statistics from elementary effects <paramref name="effects"/>[i] of input i (one per trajectory):
    /// μ, μ* with a percentile bootstrap interval, σ.
    /// </summary>
    public static MorrisIndex[] Morris(double[][] effects, int resamples, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(effects);
        var result = new MorrisIndex[effects.Length];
        for (int i = 0; i < effects.Length; i++)
        {
            var ee = effects[i];
            int r = ee.Length;
            double mu = ee.Average(), muStar = ee.Average(Math.Abs);
            double sigma = r > 1 ? ArrayStatistics.StandardDeviation(ee) : double.NaN;
            var boot = new double[resamples];
            var idx = BootstrapIndices(r, resamples, seed + (ulong)i);
            for (int b = 0; b < resamples; b++)
            {
                double s = 0;
                foreach (int j in idx[b]) s += Math.Abs(ee[j]);
                boot[b] = s / r;
            }
            result[i] = new MorrisIndex(mu, WithPercentiles(muStar, boot), double.IsNaN(sigma) ? 0 : sigma, r);
        }
        return result;
    }

    /// <summary>
    /// Elementary effects of a Morris design: <paramref name="units"/> are its points in unit coordinates (r blocks of
    /// k+1), <paramref name="y"/> the outputs; in each block the input that changed between consecutive points gets
    /// (y_after − y_before) / (x_after − x_before).
    /// </summary>
    public static double[][] ElementaryEffects(double[][] units, double[] y, int dims)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(y);
        int r = units.Length / (dims + 1);
        var effects = Enumerable.Range(0, dims).Select(_ => new List<double>()).ToArray();
        for (int t = 0; t < r; t++)
            for (int s = 0; s < dims; s++)
            {
                int before = t * (dims + 1) + s, after = before + 1;
                for (int d = 0; d < dims; d++)
                {
                    double dx = units[after][d] - units[before][d];
                    if (dx != 0) effects[d].Add((y[after] - y[before]) / dx);
                }
            }
        return effects.Select(e => e.ToArray()).ToArray();
    }

    /// <summary>Standardised regression coefficients (least squares on z-scores, MathNet QR) and the fit's R².</summary>
    public static (double[] Src, double R2) StandardisedRegression(double[][] x, double[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int n = y.Length, k = x.Length;
        double ym = y.Average(), ys = Sd(y);
        var src = new double[k];
        if (n <= k + 1 || ys == 0) return (src, 0);
        var keep = Enumerable.Range(0, k).Where(i => Sd(x[i]) > 0).ToArray();
        var design = Matrix<double>.Build.Dense(n, keep.Length + 1, (row, col) =>
            col == 0 ? 1.0 : (x[keep[col - 1]][row] - x[keep[col - 1]].Average()) / Sd(x[keep[col - 1]]));
        var z = Vector<double>.Build.Dense(n, row => (y[row] - ym) / ys);
        var beta = design.QR().Solve(z);
        for (int c = 0; c < keep.Length; c++) src[keep[c]] = beta[c + 1];
        var fitted = design * beta;
        double ssRes = (z - fitted).PointwisePower(2).Sum(), ssTot = z.PointwisePower(2).Sum();
        return (src, ssTot > 0 ? 1 - ssRes / ssTot : 0);
    }

    /// <summary>
    /// Main effect of one input: its range cut into <paramref name="bins"/> equal bins, the mean output of the points
    /// in each with a Student-t 95 % interval (null with fewer than two points).
    /// </summary>
    public static (double Centre, Estimate Mean, int Count)[] MainEffect(double[] x, double[] y, double min, double max, int bins)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var result = new (double, Estimate, int)[bins];
        double width = (max - min) / bins;
        for (int b = 0; b < bins; b++)
        {
            var inBin = new List<double>();
            for (int i = 0; i < x.Length; i++)
            {
                int bin = width > 0 ? (int)Math.Floor((x[i] - min) / width) : 0;
                if (Math.Clamp(bin, 0, bins - 1) == b) inBin.Add(y[i]);
            }
            double centre = min + (b + 0.5) * width;
            if (inBin.Count == 0) { result[b] = (centre, new Estimate(double.NaN, null, null), 0); continue; }
            double mean = inBin.Average();
            if (inBin.Count < 2) { result[b] = (centre, new Estimate(mean, null, null), 1); continue; }
            double half = StudentT.InvCDF(0, 1, inBin.Count - 1, 0.975) * ArrayStatistics.StandardDeviation(inBin.ToArray()) / Math.Sqrt(inBin.Count);
            result[b] = (centre, new Estimate(mean, mean - half, mean + half), inBin.Count);
        }
        return result;
    }

    private static double Sd(double[] v) => v.Length > 1 ? ArrayStatistics.StandardDeviation(v) : 0;

    /// <summary>Resample b draws n indices with replacement from a counter-based stream: fixed for a seed.</summary>
    private static int[][] BootstrapIndices(int n, int resamples, ulong seed)
    {
        ulong key = CounterRandom.Mix(seed ^ BootstrapPurpose);
        var idx = new int[resamples][];
        for (int b = 0; b < resamples; b++)
        {
            idx[b] = new int[n];
            for (int i = 0; i < n; i++) idx[b][i] = CounterRandom.Below(CounterRandom.At(key, (ulong)b * (ulong)n + (ulong)i), n);
        }
        return idx;
    }

    private static Estimate WithPercentiles(double value, double[] boot)
    {
        if (boot.Length == 0) return new Estimate(value, null, null);
        var sorted = (double[])boot.Clone();
        Array.Sort(sorted);
        return new Estimate(value, SortedArrayStatistics.Quantile(sorted, 0.025), SortedArrayStatistics.Quantile(sorted, 0.975));
    }
}
