using System.Globalization;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;
using MarketSim.Scenarios;
using MathNet.Numerics.Statistics;

namespace MarketSim.Compare;

/// <summary>
/// The levels of a run under a posterior ensemble (<c>run --posterior K</c>, issue 28): the scenario run once at each
/// of K parameter sets drawn from the ensemble, and per step × metric × tier (and all tiers) × platform the mean and
/// the 5 %, 50 % and 95 % quantiles over the draws — a 90 % band of each level that carries parameter uncertainty
/// (and one run's Monte-Carlo noise, small beside it at the agents a run uses).
/// </summary>
public sealed class PosteriorBands
{
    /// <summary>File name in the run folder.</summary>
    public const string FileName = "posterior_bands.parquet";

    /// <summary>The band chart's file name.</summary>
    public const string ChartFileName = "posterior_bands.png";

    /// <summary>Lower and upper quantile of the band: a 90 % band, as the posterior report's predictive bands.</summary>
    public const double LowQuantile = 0.05, HighQuantile = 0.95;

    /// <summary>The levels banded: annual-active users (people) and GMV (yuan per step).</summary>
    public static IReadOnlyList<CompareMetric> Metrics { get; } = [CompareMetric.AnnualActive, CompareMetric.Gmv];

    private PosteriorBands(ModelDimensions dims, DateOnly[] dates, int draws)
    {
        Dimensions = dims;
        Dates = dates;
        Draws = draws;
        int n = Rows;
        Mean = new double[n];
        Low = new double[n];
        Median = new double[n];
        High = new double[n];
    }

    /// <summary>Tiers and platforms; tier index <see cref="ModelDimensions.Tiers"/> stands for all tiers.</summary>
    public ModelDimensions Dimensions { get; }

    /// <summary>First day of each step.</summary>
    public DateOnly[] Dates { get; }

    /// <summary>Runs (parameter sets) the bands are over.</summary>
    public int Draws { get; }

    /// <summary>Rows: steps × metrics × (tiers + 1) × platforms.</summary>
    public int Rows => Dates.Length * Metrics.Count * (Dimensions.Tiers + 1) * Dimensions.Platforms;

    /// <summary>Mean over the draws.</summary>
    public double[] Mean { get; }

    /// <summary>5 % quantile over the draws.</summary>
    public double[] Low { get; }

    /// <summary>Median over the draws.</summary>
    public double[] Median { get; }

    /// <summary>95 % quantile over the draws.</summary>
    public double[] High { get; }

    /// <summary>Row of a value; <paramref name="tier"/> = <see cref="ModelDimensions.Tiers"/> for all tiers.</summary>
    public int Row(int step, int metric, int tier, int platform) =>
        ((step * Metrics.Count + metric) * (Dimensions.Tiers + 1) + tier) * Dimensions.Platforms + platform;

    /// <summary>
    /// Runs each scenario (one per draw) on one thread, <paramref name="threads"/> at a time, keeping only per-step
    /// aggregates. The results do not depend on the thread count or on which run finishes first.
    /// </summary>
    public static IReadOnlyList<ArmRun> Simulate(IReadOnlyList<Scenario> draws, int threads, Action? runDone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draws);
        var runs = new ArmRun[draws.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads > 0 ? threads : Environment.ProcessorCount), CancellationToken = ct };
        Parallel.For(0, draws.Count, options, k =>
        {
            var model = new MarketModel(draws[k]);
            var sim = new Simulation(model, 1, ct);
            var steps = new StepMetrics[model.Steps];
            RunPipeline.StepToEnd(sim, m => steps[m.Step] = m, ct);
            runs[k] = new ArmRun(model.PeoplePerAgent, steps, []);
            runDone?.Invoke();
        });
        return runs;
    }

    /// <summary>The bands over <paramref name="runs"/> (one per draw, the same dimensions and steps). Deterministic.</summary>
    public static PosteriorBands Compute(IReadOnlyList<ArmRun> runs, ModelDimensions dims, DateOnly[] dates)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(dims);
        if (runs.Count < 1) throw new ArgumentException("expected at least one run", nameof(runs));
        var bands = new PosteriorBands(dims, dates, runs.Count);
        int T = dims.Tiers, P = dims.Platforms;
        var values = new double[runs.Count];
        for (int k = 0; k < dates.Length; k++)
            for (int m = 0; m < Metrics.Count; m++)
            {
                var column = Metrics[m].Column!;
                for (int t = 0; t <= T; t++)
                    for (int p = 0; p < P; p++)
                    {
                        for (int d = 0; d < runs.Count; d++)
                        {
                            var step = runs[d].Steps[k];
                            long agents = 0;
                            // All tiers: agents summed first and scaled once, as every other table of the program does.
                            if (t < T) agents = column.Agents(step, t, p);
                            else for (int u = 0; u < T; u++) agents += column.Agents(step, u, p);
                            values[d] = agents * column.Factor(runs[d].PeoplePerAgent);
                        }
                        int row = bands.Row(k, m, t, p);
                        bands.Mean[row] = ArrayStatistics.Mean(values);
                        var sorted = (double[])values.Clone();
                        Array.Sort(sorted);
                        // Quantile definition R-8 (Hyndman and Fan 1996), MathNet's default: median-unbiased.
                        bands.Low[row] = SortedArrayStatistics.Quantile(sorted, LowQuantile);
                        bands.Median[row] = SortedArrayStatistics.Quantile(sorted, 0.5);
                        bands.High[row] = SortedArrayStatistics.Quantile(sorted, HighQuantile);
                    }
            }
        return bands;
    }

    private static readonly OneShotTable<(PosteriorBands B, int I)> Table = new OneShotTable<(PosteriorBands B, int I)>()
        .IntColumn("step", x => x.I / x.B.RowsPerStep)
        .DateColumn("date", x => x.B.Dates[x.I / x.B.RowsPerStep])
        .StringColumn("metric", x => Metrics[x.I % x.B.RowsPerStep / x.B.RowsPerMetric].Id)
        .StringColumn("unit", x => Metrics[x.I % x.B.RowsPerStep / x.B.RowsPerMetric].Unit)
        .StringColumn("tier", x => x.I % x.B.RowsPerMetric / x.B.Dimensions.Platforms is var t && t < x.B.Dimensions.Tiers
            ? x.B.Dimensions.TierIds[t] : ComparisonFile.AllTiers)
        .StringColumn("platform", x => x.B.Dimensions.PlatformIds[x.I % x.B.Dimensions.Platforms])
        .DoubleColumn("mean", x => x.B.Mean[x.I])
        .DoubleColumn("p05", x => x.B.Low[x.I])
        .DoubleColumn("p50", x => x.B.Median[x.I])
        .DoubleColumn("p95", x => x.B.High[x.I])
        .IntColumn("draws", x => x.B.Draws);

    private int RowsPerMetric => (Dimensions.Tiers + 1) * Dimensions.Platforms;

    private int RowsPerStep => Metrics.Count * RowsPerMetric;

    /// <summary>Publishes <see cref="FileName"/> in <paramref name="folder"/> (<see cref="AtomicFile"/>), with the ensemble and its rows in the metadata.</summary>
    public Task WriteAsync(string folder, string ensemble, IReadOnlyList<int> drawRows, IReadOnlyList<ulong> seeds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(drawRows);
        ArgumentNullException.ThrowIfNull(seeds);
        var meta = new Dictionary<string, string>
        {
            ["marketsim.kind"] = "posterior_bands",
            ["marketsim.posterior"] = ensemble,
            ["marketsim.posterior_draws"] = Draws.ToString(CultureInfo.InvariantCulture),
            ["marketsim.posterior_rows"] = string.Join(",", drawRows.Select(r => r.ToString(CultureInfo.InvariantCulture))),
            ["marketsim.seeds"] = string.Join(",", seeds.Select(s => s.ToString(CultureInfo.InvariantCulture))),
            ["marketsim.quantiles"] = "R-8 (Hyndman and Fan 1996) over the draws, weighted alike (drawn by weight)",
        };
        var rows = Enumerable.Range(0, Rows).Select(i => (this, i)).ToList();
        return Table.WriteAsync(Path.Combine(folder, FileName), rows, meta, ct);
    }

    /// <summary>One row of the file as read back.</summary>
    public sealed record BandRow(int Step, DateOnly Date, string Metric, string Unit, string Tier, string Platform, double Mean, double P05,
        double P50, double P95, int Draws);

    /// <summary>Reads the file back (tests and tools).</summary>
    public static async Task<IReadOnlyList<BandRow>> ReadAsync(string path, CancellationToken ct = default)
    {
        var t = await Table.ReadAsync(path, ct);
        var (step, date, metric, unit) = (t.Get<int>("step"), t.Get<DateOnly>("date"), t.Get<string?>("metric"), t.Get<string?>("unit"));
        var (tier, platform) = (t.Get<string?>("tier"), t.Get<string?>("platform"));
        var (mean, p05, p50, p95, draws) = (t.Get<double>("mean"), t.Get<double>("p05"), t.Get<double>("p50"), t.Get<double>("p95"), t.Get<int>("draws"));
        return Enumerable.Range(0, t.Rows).Select(i => new BandRow(step[i], date[i], metric[i]!, unit[i]!, tier[i]!, platform[i]!, mean[i], p05[i], p50[i],
            p95[i], draws[i])).ToList();
    }

    /// <summary>Annual-active users of every platform (all tiers), median and 90 % band over the draws, in millions.</summary>
    public byte[] Chart(string title, IReadOnlyList<ChartEvent> events)
    {
        int T = Dimensions.Tiers;
        var series = Enumerable.Range(0, Dimensions.Platforms).Select(p =>
        {
            double[] Of(double[] v) => Enumerable.Range(0, Dates.Length).Select(k => v[Row(k, 0, T, p)] / 1e6).ToArray();
            return new CompareCharts.Series(Dimensions.PlatformNames[p], ScottPlot.Color.FromHex(Dimensions.PlatformColors[p]), Of(Median), Of(Low), Of(High));
        }).ToList();
        return CompareCharts.DifferencesOverTime(title, "annual-active users, millions", Dates, Dimensions.StepDays, series, events);
    }
}
