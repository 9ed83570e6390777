using MarketSim.Engine;
using MarketSim.Model;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace MarketSim.Compare;

/// <summary>
/// A quantity a comparison reports: a column of metrics.parquet (<see cref="MetricColumns"/>: its tally, unit and
/// scaling) or a net primary flow between two platforms. Three lists say where each appears: <see cref="PerStep"/>
/// (comparison.parquet), <see cref="Totals"/> (totals.parquet) and <see cref="Attributed"/> (attribution.parquet).
/// </summary>
public sealed class CompareMetric
{
    private CompareMetric(MetricColumn? column, string? flowId = null)
    {
        Column = column;
        Id = column?.Quantity ?? flowId!;
    }

    /// <summary>The metrics.parquet column compared; null for the net flows, which come from flows.</summary>
    public MetricColumn? Column { get; }

    /// <summary>Value of the <c>metric</c> column of the files: the metrics.parquet column without its unit suffix.</summary>
    public string Id { get; }

    /// <summary>Value of the <c>unit</c> column: the unit of the difference and its interval (shares as fractions 0..1, as in metrics.parquet).</summary>
    public string Unit => Column?.Unit switch
    {
        MetricUnit.Fraction => "fraction",
        MetricUnit.Yuan => "yuan",
        MetricUnit.Orders => "orders",
        _ => "people",
    };

    /// <summary>True for money, false for people.</summary>
    public bool IsYuan => Column?.Unit == MetricUnit.Yuan;

    /// <summary>True for the metrics that have a counterpart platform (net flows).</summary>
    public bool IsFlow => Column is null;

    /// <summary>Position among <see cref="PerStep"/> (-1 when not there).</summary>
    internal int StepIndex { get; private set; } = -1;

    /// <summary>Position among <see cref="Totals"/> (-1 when not there).</summary>
    internal int TotalIndex { get; private set; } = -1;

    /// <summary>Annual-active users, people.</summary>
    public static CompareMetric AnnualActive { get; } = new(MetricColumns.AnnualActive);

    /// <summary>Primary share of the tier's online shoppers, a fraction 0..1 as in metrics.parquet (levels and differences).</summary>
    public static CompareMetric PrimaryShare { get; } = new(MetricColumns.PrimaryShare);

    /// <summary>GMV in the step (or summed over a period), yuan.</summary>
    public static CompareMetric Gmv { get; } = new(MetricColumns.Gmv);

    /// <summary>GMV of other platforms that was this platform's goods, sold through an alliance, yuan.</summary>
    public static CompareMetric SuppliedGmv { get; } = new(MetricColumns.SuppliedGmv);

    /// <summary>Orders of other platforms' supplied slices that were this platform's goods.</summary>
    public static CompareMetric SuppliedOrders { get; } = new(MetricColumns.SuppliedOrders);

    /// <summary>Became annual-active on the platform, people.</summary>
    public static CompareMetric NewUsers { get; } = new(MetricColumns.NewUsers);

    /// <summary>Stopped being annual-active on the platform, people.</summary>
    public static CompareMetric ChurnedUsers { get; } = new(MetricColumns.ChurnedUsers);

    /// <summary>Made the platform their primary, coming from another one, people.</summary>
    public static CompareMetric SwitchedIn { get; } = new(MetricColumns.SwitchedIn);

    /// <summary>Stopped having the platform as primary, people.</summary>
    public static CompareMetric SwitchedOut { get; } = new(MetricColumns.SwitchedOut);

    /// <summary>Net primary switches from the counterpart to the platform during the step, people.</summary>
    public static CompareMetric NetFlow { get; } = new(null, "net_flow");

    /// <summary>Net primary switches from the counterpart to the platform from the first step through this one, people.</summary>
    public static CompareMetric CumulativeNetFlow { get; } = new(null, "cumulative_net_flow");

    /// <summary>comparison.parquet's metrics in row order within a step: the per tier × platform ones, then the flows.</summary>
    public static IReadOnlyList<CompareMetric> PerStep { get; } = [AnnualActive, PrimaryShare, Gmv, SuppliedGmv, NetFlow, CumulativeNetFlow];

    /// <summary>totals.parquet's metrics (per-step flows of metrics.parquet, summed over a period), in row order.</summary>
    public static IReadOnlyList<CompareMetric> Totals { get; } = [Gmv, SuppliedGmv, NewUsers, ChurnedUsers, SwitchedIn, SwitchedOut];

    /// <summary>The headline quantities attribution splits among clauses (per platform, all tiers): a level at the final
    /// step, or a flow summed over every step.</summary>
    public static IReadOnlyList<CompareMetric> Attributed { get; } = [AnnualActive, PrimaryShare, Gmv, SuppliedGmv, SuppliedOrders];

    /// <summary>Metrics of <see cref="PerStep"/> with one row per tier × platform (the others have a counterpart too); they come first in a step.</summary>
    public static int CellMetrics { get; } = PerStep.Count(m => !m.IsFlow);

    static CompareMetric()
    {
        for (int i = 0; i < PerStep.Count; i++) PerStep[i].StepIndex = i;
        for (int i = 0; i < Totals.Count; i++) Totals[i].TotalIndex = i;
    }

    /// <summary>
    /// A level in the comparison's unit from agent tallies: a share as a fraction of <paramref name="whole"/>, otherwise
    /// the tally scaled as metrics.parquet scales it.
    /// </summary>
    internal double Level(long tally, long whole, double peoplePerAgent) =>
        Column!.Of is not null ? MetricScale.Fraction(tally, whole) : tally * Column.Factor(peoplePerAgent);

    /// <inheritdoc />
    public override string ToString() => Id;
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
        RowsPerStep = CompareMetric.CellMetrics * CellsPerMetric + (CompareMetric.PerStep.Count - CompareMetric.CellMetrics) * PairsPerMetric;
        int n = RowsPerStep * dates.Length;
        ScenarioMean = new double[n];
        BaselineMean = new double[n];
        MeanDifference = new double[n];
        SdDifference = new double?[n];
        CiLow = new double?[n];
        CiHigh = new double?[n];
        Significant = new bool?[n];
        ParameterShare = new double?[n];
    }

    /// <summary>Tiers and platforms; tier index <see cref="ModelDimensions.Tiers"/> stands for all tiers together.</summary>
    public ModelDimensions Dimensions { get; }

    /// <summary>First day of each step.</summary>
    public DateOnly[] Dates { get; }

    /// <summary>Replications the statistics are over (of each draw under a posterior).</summary>
    public int Replications { get; }

    /// <summary>Parameter sets drawn from a posterior (K ≥ 1), 0 without one.</summary>
    public int Draws { get; private init; }

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

    /// <summary>Under a posterior: the share of the interval's variance from parameter uncertainty (the rest is Monte-Carlo); null otherwise.</summary>
    public double?[] ParameterShare { get; }

    /// <summary>Row of a value. <paramref name="tier"/> = <see cref="AllTiers"/> for all tiers; <paramref name="counterpart"/> only for flows.</summary>
    public int Row(int step, CompareMetric metric, int tier, int platform, int counterpart = -1)
    {
        int p = Dimensions.Platforms;
        int baseRow = step * RowsPerStep;
        ArgumentNullException.ThrowIfNull(metric);
        if (metric.StepIndex < 0) throw new ArgumentException($"{metric} is not a per-step metric", nameof(metric));
        if (!metric.IsFlow)
        {
            if (counterpart >= 0) throw new ArgumentException($"{metric} has no counterpart platform", nameof(counterpart));
            return baseRow + metric.StepIndex * CellsPerMetric + tier * p + platform;
        }
        if (counterpart < 0 || counterpart == platform || counterpart >= p)
            throw new ArgumentOutOfRangeException(nameof(counterpart), "flows need a counterpart other than the platform");
        int flowIndex = metric.StepIndex - CompareMetric.CellMetrics;
        return baseRow + CompareMetric.CellMetrics * CellsPerMetric + flowIndex * PairsPerMetric + (tier * p + platform) * (p - 1)
               + (counterpart < platform ? counterpart : counterpart - 1);
    }

    /// <summary>Decodes a row index into its keys.</summary>
    public (int Step, CompareMetric Metric, int Tier, int Platform, int Counterpart) Keys(int row)
    {
        int p = Dimensions.Platforms;
        int step = row / RowsPerStep;
        int i = row % RowsPerStep;
        if (i < CompareMetric.CellMetrics * CellsPerMetric)
            return (step, CompareMetric.PerStep[i / CellsPerMetric], i % CellsPerMetric / p, i % p, -1);
        i -= CompareMetric.CellMetrics * CellsPerMetric;
        var metric = CompareMetric.PerStep[CompareMetric.CellMetrics + i / PairsPerMetric];
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
        var table = new ComparisonTable(dims, runs.Dates, runs.Draws > 0 ? R / runs.Draws : R) { Draws = runs.Draws };
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
                Summarise(s, b, d, tQuantile, runs.Draws, row, table.ScenarioMean, table.BaselineMean, table.MeanDifference, table.SdDifference,
                    table.CiLow, table.CiHigh, table.Significant, table.ParameterShare);
            }
        }
        return table;
    }

    /// <summary>The t quantile of the 95 % interval with R replications (NaN for one).</summary>
    internal static double TQuantile(int replications) =>
        replications > 1 ? StudentT.InvCDF(0, 1, replications - 1, 0.5 + Confidence / 2) : double.NaN;

    /// <summary>
    /// Mean levels and the mean difference with its sd, interval and significance, from per-run values
    /// (<see cref="DifferenceStatistics.Of"/>), shared by the per-step table and the totals.
    /// </summary>
    internal static void Summarise(double[] s, double[] b, double[] d, double tQuantile, int draws, int row, double[] scenarioMean,
        double[] baselineMean, double[] meanDifference, double?[] sdDifference, double?[] ciLow, double?[] ciHigh, bool?[] significant,
        double?[] parameterShare)
    {
        scenarioMean[row] = ArrayStatistics.Mean(s);
        baselineMean[row] = ArrayStatistics.Mean(b);
        var st = DifferenceStatistics.Of(d, tQuantile, draws);
        meanDifference[row] = st.Mean;
        sdDifference[row] = st.Sd;
        ciLow[row] = st.Low;
        ciHigh[row] = st.High;
        significant[row] = st.Significant;
        parameterShare[row] = st.ParameterShare;
    }

    /// <summary>Every row's value for one step of one run, in row order (the layout of <see cref="Row"/>).</summary>
    internal void FillStep(StepMetrics m, long[] cumulativeFlows, double peoplePerAgent, double[] dest)
    {
        int T = Dimensions.Tiers, P = Dimensions.Platforms;
        for (int p = 0; p < P; p++)
        {
            for (int c = 0; c < CompareMetric.CellMetrics; c++)
            {
                var metric = CompareMetric.PerStep[c];
                var column = metric.Column!;
                long sum = 0, wholeSum = 0;
                for (int t = 0; t <= T; t++)
                {
                    long tally, whole = 0;
                    if (t < T)
                    {
                        tally = column.Agents(m, t, p);
                        if (column.Of is { } of) whole = of.Agents(m, t, p);
                        sum += tally;
                        // A per-tier denominator (the tier's shoppers) counts once per tier, whatever the platform.
                        wholeSum += whole;
                    }
                    else
                    {
                        (tally, whole) = (sum, wholeSum);
                    }
                    // Sums are taken in agents (integers) and scaled once, so "all tiers" does not depend on summation order.
                    dest[Row(0, metric, t, p)] = metric.Level(tally, whole, peoplePerAgent);
                }
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
                    dest[Row(0, CompareMetric.NetFlow, t, p, q)] = MetricScale.People(tierNet, peoplePerAgent);
                    dest[Row(0, CompareMetric.CumulativeNetFlow, t, p, q)] = MetricScale.People(tierCum, peoplePerAgent);
                }
            }
        }
    }
}
