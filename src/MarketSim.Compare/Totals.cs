using System.Globalization;
using MarketSim.Model;

namespace MarketSim.Compare;

/// <summary>A span of whole steps the totals are summed over.</summary>
/// <param name="Id">Value of the <c>period</c> column: a calendar year ("2020") or <see cref="TotalPeriod.SinceFirstDifference"/>.</param>
/// <param name="FirstStep">First step, inclusive.</param>
/// <param name="LastStep">Last step, inclusive.</param>
/// <param name="Start">First day of the first step.</param>
/// <param name="End">Last day of the last step.</param>
public sealed record TotalPeriod(string Id, int FirstStep, int LastStep, DateOnly Start, DateOnly End)
{
    /// <summary>Id of the period from the first step in which the runs differ to the end of the run.</summary>
    public const string SinceFirstDifference = "since_first_difference";

    /// <summary>Number of steps.</summary>
    public int Steps => LastStep - FirstStep + 1;

    /// <summary>
    /// The calendar years of the run (a step belongs to the year its first day is in), then, when the runs differ
    /// at all, the period from the first difference to the end: what the scenario's change has done so far.
    /// </summary>
    public static IReadOnlyList<TotalPeriod> Of(DateOnly[] dates, int stepDays, int? firstDifferentStep)
    {
        var periods = new List<TotalPeriod>();
        DateOnly EndOf(int k) => dates[k].AddDays(stepDays - 1);
        for (int k = 0; k < dates.Length;)
        {
            int year = dates[k].Year, last = k;
            while (last + 1 < dates.Length && dates[last + 1].Year == year) last++;
            periods.Add(new TotalPeriod(year.ToString(CultureInfo.InvariantCulture), k, last, dates[k], EndOf(last)));
            k = last + 1;
        }
        if (firstDifferentStep is { } s0)
            periods.Add(new TotalPeriod(SinceFirstDifference, s0, dates.Length - 1, dates[s0], EndOf(dates.Length - 1)));
        return periods;
    }
}

/// <summary>
/// Per period × metric × tier (and all tiers) × platform: each arm's total over the period and the scenario −
/// baseline difference of the totals with its 95 % interval across replications (the same statistics as
/// <see cref="ComparisonTable"/>). Sums are taken in agents and fen (integers), then scaled once.
/// </summary>
public sealed class TotalsTable
{
    private TotalsTable(ModelDimensions dims, IReadOnlyList<TotalPeriod> periods, int replications)
    {
        Dimensions = dims;
        Periods = periods;
        Replications = replications;
        RowsPerPeriod = CompareMetric.Totals.Count * (dims.Tiers + 1) * dims.Platforms;
        int n = RowsPerPeriod * periods.Count;
        ScenarioTotal = new double[n];
        BaselineTotal = new double[n];
        MeanDifference = new double[n];
        SdDifference = new double?[n];
        CiLow = new double?[n];
        CiHigh = new double?[n];
        Significant = new bool?[n];
        ParameterShare = new double?[n];
    }

    /// <summary>Tiers and platforms; tier index <see cref="ModelDimensions.Tiers"/> stands for all tiers.</summary>
    public ModelDimensions Dimensions { get; }

    /// <summary>The periods, in row order.</summary>
    public IReadOnlyList<TotalPeriod> Periods { get; }

    /// <summary>Replications (of each draw under a posterior).</summary>
    public int Replications { get; }

    /// <summary>Parameter sets drawn from a posterior (K ≥ 1), 0 without one.</summary>
    public int Draws { get; private init; }

    /// <summary>Under a posterior: the share of the interval's variance from parameter uncertainty; null otherwise.</summary>
    public double?[] ParameterShare { get; }

    /// <summary>Index of "all tiers".</summary>
    public int AllTiers => Dimensions.Tiers;

    /// <summary>Rows per period.</summary>
    public int RowsPerPeriod { get; }

    /// <summary>Rows in the table.</summary>
    public int Rows => RowsPerPeriod * Periods.Count;

    /// <summary>Scenario's total over the period, mean over replications.</summary>
    public double[] ScenarioTotal { get; }

    /// <summary>Baseline's total over the period, mean over replications.</summary>
    public double[] BaselineTotal { get; }

    /// <summary>Mean over replications of (scenario total − baseline total).</summary>
    public double[] MeanDifference { get; }

    /// <summary>Sample standard deviation of the difference; null with one replication.</summary>
    public double?[] SdDifference { get; }

    /// <summary>Lower end of the 95 % interval; null with one replication.</summary>
    public double?[] CiLow { get; }

    /// <summary>Upper end of the 95 % interval; null with one replication.</summary>
    public double?[] CiHigh { get; }

    /// <summary>The interval excludes zero; null with one replication.</summary>
    public bool?[] Significant { get; }

    /// <summary>Index of a period by id, or -1.</summary>
    public int PeriodIndex(string id)
    {
        for (int i = 0; i < Periods.Count; i++) if (Periods[i].Id == id) return i;
        return -1;
    }

    /// <summary>Row of a value; <paramref name="tier"/> = <see cref="AllTiers"/> for all tiers.</summary>
    public int Row(int period, CompareMetric metric, int tier, int platform)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (metric.TotalIndex < 0) throw new ArgumentException($"{metric} is not a total", nameof(metric));
        return period * RowsPerPeriod + (metric.TotalIndex * (Dimensions.Tiers + 1) + tier) * Dimensions.Platforms + platform;
    }

    /// <summary>Decodes a row index.</summary>
    public (int Period, CompareMetric Metric, int Tier, int Platform) Keys(int row)
    {
        int p = Dimensions.Platforms, t1 = Dimensions.Tiers + 1;
        int i = row % RowsPerPeriod;
        return (row / RowsPerPeriod, CompareMetric.Totals[i / (t1 * p)], i / p % t1, i % p);
    }

    /// <summary>Computes the totals of every period. Deterministic: the same runs give bit-identical values.</summary>
    public static TotalsTable Compute(CompareRuns runs, int? firstDifferentStep)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var dims = runs.Dimensions;
        int R = runs.Replications, T = dims.Tiers, P = dims.Platforms;
        var table = new TotalsTable(dims, TotalPeriod.Of(runs.Dates, dims.StepDays, firstDifferentStep), runs.Draws > 0 ? R / runs.Draws : R)
        {
            Draws = runs.Draws,
        };
        double tQuantile = ComparisonTable.TQuantile(R);
        var s = new double[R];
        var b = new double[R];
        var d = new double[R];
        var sums = new long[R, 2][];
        for (int pi = 0; pi < table.Periods.Count; pi++)
        {
            var period = table.Periods[pi];
            foreach (var metric in CompareMetric.Totals)
            {
                for (int r = 0; r < R; r++)
                    for (int a = 0; a < 2; a++)
                    {
                        var sum = sums[r, a] ??= new long[T * P];
                        Array.Clear(sum);
                        var run = runs.Get(r, (Arm)a);
                        for (int k = period.FirstStep; k <= period.LastStep; k++)
                        {
                            long[] field = metric.Column!.Cells(run.Steps[k]);
                            for (int i = 0; i < sum.Length; i++) sum[i] += field[i];
                        }
                    }
                for (int tier = 0; tier <= T; tier++)
                    for (int p = 0; p < P; p++)
                    {
                        for (int r = 0; r < R; r++)
                        {
                            s[r] = Scaled(runs.Get(r, Arm.Scenario), sums[r, 0], metric, tier, T, P, p);
                            b[r] = Scaled(runs.Get(r, Arm.Baseline), sums[r, 1], metric, tier, T, P, p);
                            d[r] = s[r] - b[r];
                        }
                        ComparisonTable.Summarise(s, b, d, tQuantile, runs.Draws, table.Row(pi, metric, tier, p), table.ScenarioTotal,
                            table.BaselineTotal, table.MeanDifference, table.SdDifference, table.CiLow, table.CiHigh, table.Significant,
                            table.ParameterShare);
                    }
            }
        }
        return table;
    }

    private static double Scaled(ArmRun run, long[] sum, CompareMetric metric, int tier, int T, int P, int p)
    {
        long v = 0;
        if (tier < T) v = sum[tier * P + p];
        else for (int t = 0; t < T; t++) v += sum[t * P + p];
        return v * metric.Column!.Factor(run.PeoplePerAgent);
    }
}
