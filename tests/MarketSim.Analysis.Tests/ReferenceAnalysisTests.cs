using MarketSim.Analysis;
using MarketSim.Sweeps;
using MathNet.Numerics.Distributions;
using Parquet;

namespace MarketSim.Tests;

/// <summary>
/// Issue 32, item 1: what sensitivity.parquet holds, against independent references: Morris μ, μ* and σ recomputed from
/// the design's elementary effects (σ with divisor r − 1) and the published structure of Morris's 20-factor function;
/// Sobol' indices of the Ishigami function against their analytic values; every main-effect bin's mean and Student-t
/// interval recomputed from the points in it. Summaries are built in memory (no simulation) and the file is read back.
/// </summary>
public sealed class ReferenceAnalysisTests : IDisposable
{
    private readonly string _work = MarketSimProcess.NewTempFolder("marketsim-analysis-reference");

    public void Dispose()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }

    /// <summary>A summary of one replication per point, parameters on [min, max], unit coordinates mapped linearly.</summary>
    private static SweepSummary Summary(string design, int points, int @base, int levels, ulong designSeed, double[][] units, double min, double max,
        Func<double[], double> f, AnalysisOptions options)
    {
        int k = units[0].Length;
        var values = units.Select(u => u.Select(x => min + x * (max - min)).ToArray()).ToArray();
        return new SweepSummary
        {
            Name = "reference",
            Design = design,
            Points = points,
            Base = @base,
            Levels = levels,
            SecondOrder = false,
            DesignSeed = designSeed,
            Replications = 1,
            EffectOf = "",
            Options = options,
            ResolvedSweep = "",
            Parameters = Enumerable.Range(0, k).Select(i => new SummaryParameter($"x{i + 1}", $"p.x{i + 1}", min, max,
                values.Select(v => v[i]).ToArray())).ToList(),
            Outputs = [("y", "reference function")],
            Point = Enumerable.Range(0, points).ToArray(),
            Status = Enumerable.Repeat("ok", points).ToArray(),
            Values = new Dictionary<string, double?[]> { ["y"] = values.Select(v => (double?)f(v)).ToArray() },
        };
    }

    private sealed record Row(string Output, string Parameter, string Method, long? Bin, double? X, double? Estimate, double? Low, double? High, long N);

    /// <summary>Writes the analysis and reads sensitivity.parquet back: with DuckDB when it is there, else Parquet.Net directly.</summary>
    private async Task<List<Row>> WriteAndReadAsync(SweepAnalysisResult result, string name)
    {
        string path = Path.Combine(_work, name + ".parquet");
        await SweepAnalysis.WriteParquetAsync(path, result, "test");
        if (DuckDbTable.Available)
        {
            var t = DuckDbTable.Read(path);
            return Enumerable.Range(0, t.Rows.Count).Select(i => new Row(t.Text(i, "output")!, t.Text(i, "parameter")!, t.Text(i, "method")!,
                t.Long(i, "bin"), t.Double(i, "x"), t.Double(i, "estimate"), t.Double(i, "ci_low"), t.Double(i, "ci_high"), t.Long(i, "n")!.Value)).ToList();
        }
        await using var reader = await ParquetReader.CreateAsync(path);
        var rows = new List<Row>();
        var fields = reader.Schema.DataFields.ToDictionary(d => d.Name);
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            int n = (int)rg.RowCount;
            var (output, parameter, method) = (new string?[n], new string?[n], new string?[n]);
            var (bin, nn) = (new int?[n], new int[n]);
            var (x, est, low, high) = (new double?[n], new double?[n], new double?[n], new double?[n]);
            await rg.ReadAsync(fields["output"], output.AsMemory());
            await rg.ReadAsync(fields["parameter"], parameter.AsMemory());
            await rg.ReadAsync(fields["method"], method.AsMemory());
            await rg.ReadAsync<int>(fields["bin"], bin.AsMemory());
            await rg.ReadAsync<double>(fields["x"], x.AsMemory());
            await rg.ReadAsync<double>(fields["estimate"], est.AsMemory());
            await rg.ReadAsync<double>(fields["ci_low"], low.AsMemory());
            await rg.ReadAsync<double>(fields["ci_high"], high.AsMemory());
            await rg.ReadAsync<int>(fields["n"], nn.AsMemory());
            for (int i = 0; i < n; i++) rows.Add(new Row(output[i]!, parameter[i]!, method[i]!, bin[i], x[i], est[i], low[i], high[i], nn[i]));
        }
        return rows;
    }

    /// <summary>
    /// Morris's (1991) 20-factor test function: w_i = 2(x_i − ½), except w_i = 2(1.1 x_i / (x_i + 0.1) − ½) for i = 3, 5, 7;
    /// β_i = 20 (i ≤ 10), β_ij = −15 (i, j ≤ 6), β_ijl = −10 (i, j, l ≤ 5), β_ijls = 5 (i, j, l, s ≤ 4); the other first- and
    /// second-order coefficients standard normal (here from a fixed seed), higher orders 0.
    /// </summary>
    private static Func<double[], double> MorrisFunction(int seed)
    {
        var rng = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var b1 = new double[20];
        var b2 = new double[20, 20];
        for (int i = 0; i < 20; i++) b1[i] = i < 10 ? 20 : Normal();
        for (int i = 0; i < 20; i++)
            for (int j = i + 1; j < 20; j++) b2[i, j] = i < 6 && j < 6 ? -15 : Normal();
        return x =>
        {
            var w = new double[20];
            for (int i = 0; i < 20; i++) w[i] = i is 2 or 4 or 6 ? 2 * (1.1 * x[i] / (x[i] + 0.1) - 0.5) : 2 * (x[i] - 0.5);
            double y = 0;
            for (int i = 0; i < 20; i++) y += b1[i] * w[i];
            for (int i = 0; i < 20; i++)
                for (int j = i + 1; j < 20; j++) y += b2[i, j] * w[i] * w[j];
            for (int i = 0; i < 5; i++)
                for (int j = i + 1; j < 5; j++)
                    for (int l = j + 1; l < 5; l++) y += -10 * w[i] * w[j] * w[l];
            y += 5 * w[0] * w[1] * w[2] * w[3];
            return y;
        };
    }

    private static void Close(double expected, double? actual, string what, double rel = 1e-12)
    {
        Assert.True(actual is not null, $"{what}: null, expected {expected:R}");
        Assert.True(Math.Abs(expected - actual!.Value) <= rel * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, written {actual:R}");
    }

    [Fact]
    public async Task Morris20_SensitivityParquet_MuMuStarSigmaAreTheElementaryEffectsStatistics_AndTheFirstTenFactorsLead()
    {
        const int k = 20, r = 40, levels = 4;
        const ulong seed = 17;
        var units = Designs.Morris(r, k, levels, seed);
        var f = MorrisFunction(2026);
        var options = new AnalysisOptions(Bootstrap: 200, Seed: 1, Bins: 4);
        var summary = Summary("morris", r * (k + 1), r, levels, seed, units, 0, 1, f, options);
        var rows = await WriteAndReadAsync(SweepAnalysis.Analyse(summary, options), "morris");

        var y = units.Select(f).ToArray();
        var muStar = new double[k];
        for (int i = 0; i < k; i++)
        {
            // Elementary effects of factor i: in each trajectory, the one pair of consecutive points that differ in x_i.
            var ee = new List<double>();
            for (int t = 0; t < r; t++)
                for (int s = 0; s < k; s++)
                {
                    int a = t * (k + 1) + s, b = a + 1;
                    double dx = units[b][i] - units[a][i];
                    if (dx != 0) ee.Add((y[b] - y[a]) / dx);
                }
            Assert.Equal(r, ee.Count);
            double mu = ee.Sum() / r;
            muStar[i] = ee.Sum(Math.Abs) / r;
            double sigma = Math.Sqrt(ee.Sum(e => (e - mu) * (e - mu)) / (r - 1));
            string p = $"x{i + 1}";
            var muRow = Assert.Single(rows, x => x.Parameter == p && x.Method == "morris_mu");
            var starRow = Assert.Single(rows, x => x.Parameter == p && x.Method == "morris_mu_star");
            var sigmaRow = Assert.Single(rows, x => x.Parameter == p && x.Method == "morris_sigma");
            Close(mu, muRow.Estimate, p + " μ", 1e-10);
            Close(muStar[i], starRow.Estimate, p + " μ*", 1e-10);
            Close(sigma, sigmaRow.Estimate, p + " σ", 1e-10);
            Assert.Equal((r, r, r), (muRow.N, starRow.N, sigmaRow.N));
            Assert.True(starRow.Low <= starRow.Estimate && starRow.Estimate <= starRow.High, $"{p}: μ* outside its interval");
            Assert.True(starRow.Low < starRow.High, $"{p}: empty μ* interval");
            Assert.Null(sigmaRow.Low);
        }
        // The published structure (Morris 1991; Campolongo, Cariboni and Saltelli 2007): factors 1–10 are the important
        // ones, 11–20 negligible; 8–10 act linearly (μ* ≈ 2 β_i = 40 per unit of x, small σ).
        var ranking = Enumerable.Range(0, k).OrderByDescending(i => muStar[i]).ToArray();
        Assert.Equal(Enumerable.Range(0, 10), ranking[..10].Order());
        // (At this seed: 29–74 for factors 1–10, 4–8 for 11–20.)
        Assert.True(muStar[10..].Max() < muStar[..10].Min() / 3, "a factor of 11–20 is not negligible");
        for (int i = 7; i < 10; i++) Assert.InRange(muStar[i], 30, 50);
    }

    [Fact]
    public async Task Ishigami_SensitivityParquet_FirstAndTotalIndicesAreTheAnalyticOnesWithinTheirIntervals()
    {
        const int n = 2048, k = 3;
        const double a = 7, b = 0.1;
        double v1 = 0.5 * Math.Pow(1 + b * Math.Pow(Math.PI, 4) / 5, 2), v2 = a * a / 8, v13 = b * b * Math.Pow(Math.PI, 8) * (1.0 / 18 - 1.0 / 50);
        double v = v1 + v2 + v13;
        double[] s1 = [v1 / v, v2 / v, 0], st = [(v1 + v13) / v, v2 / v, v13 / v];
        // The published values (Ishigami and Homma 1990; Sobol' and Levitan 1999).
        Assert.Equal([0.3139, 0.4424, 0.0], s1.Select(x => Math.Round(x, 4)));
        Assert.Equal([0.5576, 0.4424, 0.2437], st.Select(x => Math.Round(x, 4)));
        var units = Designs.Saltelli(n, k, secondOrder: false);
        static double Ishigami(double[] x) => Math.Sin(x[0]) + a * Math.Sin(x[1]) * Math.Sin(x[1]) + b * Math.Pow(x[2], 4) * Math.Sin(x[0]);
        var options = new AnalysisOptions(Bootstrap: 200, Seed: 1, Bins: 5);
        var summary = Summary("saltelli", n * (k + 2), n, 0, 0, units, -Math.PI, Math.PI, Ishigami, options);
        var rows = await WriteAndReadAsync(SweepAnalysis.Analyse(summary, options), "ishigami");
        for (int i = 0; i < k; i++)
        {
            var first = Assert.Single(rows, x => x.Parameter == $"x{i + 1}" && x.Method == "sobol_first");
            var total = Assert.Single(rows, x => x.Parameter == $"x{i + 1}" && x.Method == "sobol_total");
            Assert.True(first.Low <= s1[i] && s1[i] <= first.High, $"S1[{i}] = {s1[i]:F4} outside [{first.Low:F4}, {first.High:F4}]");
            Assert.True(total.Low <= st[i] && st[i] <= total.High, $"ST[{i}] = {st[i]:F4} outside [{total.Low:F4}, {total.High:F4}]");
            Assert.True(first.High - first.Low < 0.2 && total.High - total.Low < 0.2, $"x{i + 1}: intervals too wide to mean anything");
            Assert.True(first.Low <= first.Estimate && first.Estimate <= first.High && total.Low <= total.Estimate && total.Estimate <= total.High);
            Assert.Equal((n, n), (first.N, total.N));
        }
    }

    [Fact]
    public async Task MainEffects_EveryBinsMeanAndInterval_IsStudentTOverThePointsInIt()
    {
        // Points of a Sobol' set on [2, 6] × [0, 1]; y depends on both, with noise from a fixed seed so that bins have spread.
        const int points = 150, bins = 4;
        var units = Designs.Sobol(points, 2);
        var rng = new Random(5);
        var noise = Enumerable.Range(0, points).Select(_ => rng.NextDouble()).ToArray();
        int call = 0;
        double F(double[] x) => x[0] * x[0] + 3 * x[1] + noise[call++ % points];
        var options = new AnalysisOptions(Bootstrap: 10, Seed: 1, Bins: bins);
        var summary = Summary("sobol", points, 0, 0, 0, units, 2, 6, F, options);
        var y = summary.Values["y"].Select(v => v!.Value).ToArray();
        var rows = await WriteAndReadAsync(SweepAnalysis.Analyse(summary, options), "main");
        int checkedBins = 0;
        for (int i = 0; i < 2; i++)
        {
            var x = summary.Parameters[i].Values;
            double width = (6.0 - 2.0) / bins;
            for (int bin = 0; bin < bins; bin++)
            {
                // Half-open bins [2 + b·w, 2 + (b + 1)·w), the last one closed at the maximum.
                double lo = 2 + bin * width, hi = lo + width;
                var inBin = Enumerable.Range(0, points).Where(j => x[j] >= lo && (x[j] < hi || (bin == bins - 1 && x[j] <= hi))).Select(j => y[j]).ToArray();
                int m = inBin.Length;
                Assert.True(m >= 2, "the test needs at least two points per bin");
                double mean = inBin.Sum() / m;
                double sd = Math.Sqrt(inBin.Sum(v => (v - mean) * (v - mean)) / (m - 1));
                double half = StudentT.InvCDF(0, 1, m - 1, 0.975) * sd / Math.Sqrt(m);
                var row = Assert.Single(rows, r => r.Parameter == $"x{i + 1}" && r.Method == "main_effect" && r.Bin == bin);
                string what = $"x{i + 1} bin {bin}";
                Assert.Equal(m, row.N);
                Close(lo + width / 2, row.X, what + " centre");
                Close(mean, row.Estimate, what + " mean", 1e-10);
                Close(mean - half, row.Low, what + " ci_low", 1e-10);
                Close(mean + half, row.High, what + " ci_high", 1e-10);
                checkedBins++;
            }
        }
        Assert.Equal(2 * bins, checkedBins);
    }
}
