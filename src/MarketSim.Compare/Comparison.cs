using MarketSim.Engine;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using MarketSim.Model;

namespace MarketSim.Compare;

/// <summary>The quantities compared, in the order rows appear within a step.</summary>
public enum CompareMetric
{
    /// <summary>Annual-active users, people.</summary>
    AnnualActive = 0,
    /// <summary>Primary share of the tier's online shoppers, a fraction 0..1 as in metrics.parquet (levels and differences).</summary>
    PrimaryShare = 1,
    /// <summary>GMV in the step, yuan.</summary>
    Gmv = 2,
    /// <summary>GMV of other platforms in the step that was this platform's goods, sold through an alliance, yuan.</summary>
    SuppliedGmv = 3,
    /// <summary>Net primary switches from the counterpart to the platform during the step, people.</summary>
    NetFlow = 4,
    /// <summary>Net primary switches from the counterpart to the platform from the first step through this one, people.</summary>
    CumulativeNetFlow = 5,
}

/// <summary>Names and units of the metrics as written to files.</summary>
public static class CompareMetrics
{
    /// <summary>All metrics in row order.</summary>
    public static IReadOnlyList<CompareMetric> All { get; } = Enum.GetValues<CompareMetric>();

    /// <summary>Value of the <c>metric</c> column.</summary>
    public static string Id(CompareMetric m) => m switch
    {
        CompareMetric.AnnualActive => "annual_active",
        CompareMetric.PrimaryShare => "primary_share",
        CompareMetric.Gmv => "gmv",
        CompareMetric.SuppliedGmv => "supplied_gmv",
        CompareMetric.NetFlow => "net_flow",
        CompareMetric.CumulativeNetFlow => "cumulative_net_flow",
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    /// <summary>Value of the <c>unit</c> column: the unit of the difference and its interval.</summary>
    public static string Unit(CompareMetric m) => m switch
    {
        CompareMetric.PrimaryShare => "fraction",
        CompareMetric.Gmv or CompareMetric.SuppliedGmv => "yuan",
        _ => "people",
    };

    /// <summary>Metrics with one row per tier × platform (the others have a counterpart too); they come first in a step.</summary>
    public const int CellMetrics = 4;

    /// <summary>True for the metrics that have a counterpart platform.</summary>
    public static bool IsFlow(CompareMetric m) => m is CompareMetric.NetFlow or CompareMetric.CumulativeNetFlow;
}

/// <summary>
/// Scenario − baseline differences per step × metric × tier (and all tiers) × platform (× counterpart for flows):
/// the mean over replications, the sample standard deviation and a 95 % Student-t interval. Columnar, in file
/// row order, so it is written to Parquet as is and looked up by <see cref="Row"/>.
/// </summary>
public sealed class ComparisonTable
{
    /// <summary>Confidence level of the intervals.</summary>
    public const double Confidence = 0.95;

    internal ComparisonTable(ModelDimensions dims, DateOnly[] dates, int replications)
    {
        Dimensions = dims;
        Dates = dates;
        Replications = replications;
        int t1 = dims.Tiers + 1, p = dims.Platforms;
        CellsPerMetric = t1 * p;
        PairsPerMetric = t1 * p * (p - 1);
        RowsPerStep = CompareMetrics.CellMetrics * CellsPerMetric + 2 * PairsPerMetric;
        int n = RowsPerStep * dates.Length;
        ScenarioMean = new double[n];
        BaselineMean = new double[n];
        MeanDifference = new double[n];
        SdDifference = new double?[n];
        CiLow = new double?[n];
        CiHigh = new double?[n];
        Significant = new bool?[n];
    }

    /// <summary>Tiers and platforms; tier index <see cref="ModelDimensions.Tiers"/> stands for all tiers together.</summary>
    public ModelDimensions Dimensions { get; }

    /// <summary>First day of each step.</summary>
    public DateOnly[] Dates { get; }

    /// <summary>Replications the statistics are over.</summary>
    public int Replications { get; }

    /// <summary>Index of the "all tiers" row set.</summary>
    public int AllTiers => Dimensions.Tiers;

    /// <summary>Rows per step.</summary>
    public int RowsPerStep { get; }

    private int CellsPerMetric { get; }

    private int PairsPerMetric { get; }

    /// <summary>Rows in the table.</summary>
    public int Rows => RowsPerStep * Dates.Length;

    /// <summary>First step at which some value of some replication differs between scenario and baseline; null if none does.</summary>
    public int? FirstDifferentStep { get; internal set; }

    /// <summary>Mean of the scenario's values over replications.</summary>
    public double[] ScenarioMean { get; }

    /// <summary>Mean of the baseline's values over replications.</summary>
    public double[] BaselineMean { get; }

    /// <summary>Mean of (scenario − baseline) over replications.</summary>
    public double[] MeanDifference { get; }

    /// <summary>Sample standard deviation of the difference over replications; null with one replication.</summary>
    public double?[] SdDifference { get; }

    /// <summary>Lower end of the 95 % interval of the mean difference; null with one replication.</summary>
    public double?[] CiLow { get; }

    /// <summary>Upper end of the 95 % interval; null with one replication.</summary>
    public double?[] CiHigh { get; }

    /// <summary>True where the interval excludes zero; null with one replication.</summary>
    public bool?[] Significant { get; }

    /// <summary>Row of a value. <paramref name="tier"/> = <see cref="AllTiers"/> for all tiers; <paramref name="counterpart"/> only for flows.</summary>
    public int Row(int step, CompareMetric metric, int tier, int platform, int counterpart = -1)
    {
        int p = Dimensions.Platforms;
        int baseRow = step * RowsPerStep;
        if (!CompareMetrics.IsFlow(metric))
        {
            if (counterpart >= 0) throw new ArgumentException($"{metric} has no counterpart platform", nameof(counterpart));
            return baseRow + (int)metric * CellsPerMetric + tier * p + platform;
        }
        if (counterpart < 0 || counterpart == platform || counterpart >= p)
            throw new ArgumentOutOfRangeException(nameof(counterpart), "flows need a counterpart other than the platform");
        int flowIndex = (int)metric - (int)CompareMetric.NetFlow;
        return baseRow + CompareMetrics.CellMetrics * CellsPerMetric + flowIndex * PairsPerMetric + (tier * p + platform) * (p - 1)
               + (counterpart < platform ? counterpart : counterpart - 1);
    }

    /// <summary>Decodes a row index into its keys.</summary>
    public (int Step, CompareMetric Metric, int Tier, int Platform, int Counterpart) Keys(int row)
    {
        int p = Dimensions.Platforms;
        int step = row / RowsPerStep;
        int i = row % RowsPerStep;
        if (i < CompareMetrics.CellMetrics * CellsPerMetric)
            return (step, (CompareMetric)(i / CellsPerMetric), i % CellsPerMetric / p, i % p, -1);
        i -= CompareMetrics.CellMetrics * CellsPerMetric;
        var metric = (CompareMetric)((int)CompareMetric.NetFlow + i / PairsPerMetric);
        i %= PairsPerMetric;
        int cell = i / (p - 1), k = i % (p - 1);
        int platform = cell % p;
        return (step, metric, cell / p, platform, k < platform ? k : k + 1);
    }

    /// <summary>Half-width of the 95 % interval for <paramref name="replications"/> replications and a standard deviation.</summary>
    public static double HalfWidth(int replications, double sd) =>
        StudentT.InvCDF(0, 1, replications - 1, 0.5 + Confidence / 2) * sd / Math.Sqrt(replications);

    /// <summary>Computes the table from the runs. Deterministic: the same runs give bit-identical values.</summary>
    public static ComparisonTable Compute(CompareRuns runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var dims = runs.Dimensions;
        int R = runs.Replications, T = dims.Tiers, P = dims.Platforms;
        var table = new ComparisonTable(dims, runs.Dates, R);
        double tQuantile = TQuantile(R);

        // Running cumulative flows per replication and arm, and one step's values of every row per replication and arm.
        var cumulative = new long[R, 2][];
        var values = new double[R, 2][];
        for (int r = 0; r < R; r++)
            for (int a = 0; a < 2; a++)
            {
                cumulative[r, a] = new long[T * P * P];
                values[r, a] = new double[table.RowsPerStep];
            }
        var s = new double[R];
        var b = new double[R];
        var d = new double[R];
        for (int k = 0; k < runs.Steps; k++)
        {
            for (int r = 0; r < R; r++)
                for (int a = 0; a < 2; a++)
                {
                    var run = runs.Get(r, (Arm)a);
                    var slice = run.Steps[k];
                    var cum = cumulative[r, a];
                    for (int i = 0; i < cum.Length; i++) cum[i] += slice.Flows[i];
                    table.FillStep(slice, cum, run.PeoplePerAgent, values[r, a]);
                }
            int first = k * table.RowsPerStep;
            for (int i = 0; i < table.RowsPerStep; i++)
            {
                for (int r = 0; r < R; r++)
                {
                    s[r] = values[r, 0][i];
                    b[r] = values[r, 1][i];
                    d[r] = s[r] - b[r];
                    if (d[r] != 0 && table.FirstDifferentStep is null) table.FirstDifferentStep = k;
                }
                int row = first + i;
                Summarise(s, b, d, tQuantile, row, table.ScenarioMean, table.BaselineMean, table.MeanDifference, table.SdDifference,
                    table.CiLow, table.CiHigh, table.Significant);
            }
        }
        return table;
    }

    /// <summary>The t quantile of the 95 % interval with R replications (NaN for one).</summary>
    internal static double TQuantile(int replications) =>
        replications > 1 ? StudentT.InvCDF(0, 1, replications - 1, 0.5 + Confidence / 2) : double.NaN;

    /// <summary>
    /// Mean levels and the mean difference with its sd, interval and significance, from per-replication values: the
    /// one definition of the statistics, shared by the per-step table and the totals.
    /// </summary>
    internal static void Summarise(double[] s, double[] b, double[] d, double tQuantile, int row, double[] scenarioMean,
        double[] baselineMean, double[] meanDifference, double?[] sdDifference, double?[] ciLow, double?[] ciHigh, bool?[] significant)
    {
        int R = d.Length;
        scenarioMean[row] = ArrayStatistics.Mean(s);
        baselineMean[row] = ArrayStatistics.Mean(b);
        double mean = ArrayStatistics.Mean(d);
        meanDifference[row] = mean;
        if (R < 2) return;
        double sd = ArrayStatistics.StandardDeviation(d);
        double half = tQuantile * sd / Math.Sqrt(R);
        double low = mean - half, high = mean + half;
        sdDifference[row] = sd;
        ciLow[row] = low;
        ciHigh[row] = high;
        significant[row] = low > 0 || high < 0;
    }

    /// <summary>Every row's value for one step of one run, in row order (the layout of <see cref="Row"/>).</summary>
    internal void FillStep(StepSlice m, long[] cumulativeFlows, double peoplePerAgent, double[] dest)
    {
        int T = Dimensions.Tiers, P = Dimensions.Platforms;
        double yuan = peoplePerAgent / 100.0;
        long allConsumers = 0;
        for (int t = 0; t < T; t++) allConsumers += m.Consumers[t];
        for (int p = 0; p < P; p++)
        {
            long aa = 0, primary = 0, gmv = 0, supplied = 0;
            for (int t = 0; t <= T; t++)
            {
                long tierAa, tierPrimary, tierGmv, tierSupplied, consumers;
                if (t < T)
                {
                    int i = t * P + p;
                    tierAa = m.AnnualActive[i];
                    tierPrimary = m.Primary[i];
                    tierGmv = m.GmvFen[i];
                    tierSupplied = m.SuppliedGmvFen[i];
                    consumers = m.Consumers[t];
                    aa += tierAa;
                    primary += tierPrimary;
                    gmv += tierGmv;
                    supplied += tierSupplied;
                }
                else
                {
                    (tierAa, tierPrimary, tierGmv, tierSupplied, consumers) = (aa, primary, gmv, supplied, allConsumers);
                }
                // Sums are taken in agents (integers) and scaled once, so "all tiers" does not depend on summation order.
                dest[Row(0, CompareMetric.AnnualActive, t, p)] = tierAa * peoplePerAgent;
                dest[Row(0, CompareMetric.PrimaryShare, t, p)] = consumers == 0 ? 0 : (double)tierPrimary / consumers;
                dest[Row(0, CompareMetric.Gmv, t, p)] = tierGmv * yuan;
                dest[Row(0, CompareMetric.SuppliedGmv, t, p)] = tierSupplied * yuan;
            }
            for (int q = 0; q < P; q++)
            {
                if (q == p) continue;
                long net = 0, cum = 0;
                for (int t = 0; t <= T; t++)
                {
                    long tierNet, tierCum;
                    if (t < T)
                    {
                        int into = (t * P + q) * P + p, outOf = (t * P + p) * P + q;
                        tierNet = m.Flows[into] - m.Flows[outOf];
                        tierCum = cumulativeFlows[into] - cumulativeFlows[outOf];
                        net += tierNet;
                        cum += tierCum;
                    }
                    else
                    {
                        (tierNet, tierCum) = (net, cum);
                    }
                    dest[Row(0, CompareMetric.NetFlow, t, p, q)] = tierNet * peoplePerAgent;
                    dest[Row(0, CompareMetric.CumulativeNetFlow, t, p, q)] = tierCum * peoplePerAgent;
                }
            }
        }
    }
}
