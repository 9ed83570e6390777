using MarketSim.Engine;

namespace MarketSim.Charts;

/// <summary>
/// The measures the charts plot, computed from step metrics in people rather than agents (scaled as metrics.parquet
/// is, through <see cref="MetricColumns"/> and <see cref="MetricScale"/>). Kept apart from the
/// drawing so that each definition can be tested on numbers, and every ratio returns 0 (never NaN) when its
/// denominator is empty, because NaN would silently break lines and colour scales.
/// </summary>
internal static class ChartSeries
{
    /// <summary>Step start dates as OLE Automation dates, the x coordinate ScottPlot uses for dates.</summary>
    public static double[] Dates(IReadOnlyList<StepMetrics> steps)
    {
        var xs = new double[steps.Count];
        for (int s = 0; s < steps.Count; s++)
            xs[s] = steps[s].Date.ToDateTime(TimeOnly.MinValue).ToOADate();
        return xs;
    }

    /// <summary>
    /// [platform][step]: consumers whose primary platform it is, divided by all online shoppers, both summed over
    /// the given tiers (all tiers when <paramref name="tier"/> is null).
    /// </summary>
    public static double[][] PrimaryShare(IReadOnlyList<StepMetrics> steps, int platforms, int? tier = null)
    {
        var result = NewSeries(platforms, steps.Count);
        for (int s = 0; s < steps.Count; s++)
        {
            var m = steps[s];
            long consumers = 0;
            for (int t = 0; t < m.Tiers; t++)
            {
                if (tier is int only && t != only) continue;
                consumers += m.Consumers[t];
            }
            for (int p = 0; p < platforms; p++)
            {
                long primary = 0;
                for (int t = 0; t < m.Tiers; t++)
                {
                    if (tier is int only && t != only) continue;
                    primary += m.Primary[m.At(t, p)];
                }
                result[p][s] = Ratio(primary, consumers);
            }
        }
        return result;
    }

    /// <summary>[platform][step]: annual-active users summed over tiers, in millions of people.</summary>
    public static double[][] AnnualActiveMillions(IReadOnlyList<StepMetrics> steps, int platforms, double peoplePerAgent) =>
        SumOverTiers(steps, platforms, MetricColumns.AnnualActive, MetricColumns.AnnualActive.Factor(peoplePerAgent) / 1e6);

    /// <summary>[platform][step]: GMV sold on the platform during the step, summed over tiers, in billions of yuan.</summary>
    public static double[][] GmvBillionYuan(IReadOnlyList<StepMetrics> steps, int platforms, double peoplePerAgent) =>
        SumOverTiers(steps, platforms, MetricColumns.Gmv, MetricColumns.Gmv.Factor(peoplePerAgent) / 1e9);

    /// <summary>
    /// The steps whose start lies within the last 52 weeks of the run (the whole run when shorter), so the flow
    /// matrix describes a recent year rather than a total whose size depends on run length.
    /// </summary>
    public static int FirstStepOfLastYear(IReadOnlyList<StepMetrics> steps)
    {
        DateOnly last = steps[^1].Date;
        int first = steps.Count - 1;
        while (first > 0 && last.DayNumber - steps[first - 1].Date.DayNumber < 364) first--;
        return first;
    }

    /// <summary>[from, to]: primary switches summed over tiers and steps [firstStep, end), in millions of people.</summary>
    public static double[,] FlowsMillions(IReadOnlyList<StepMetrics> steps, int platforms, double peoplePerAgent, int firstStep)
    {
        var sums = new long[platforms, platforms];
        for (int s = firstStep; s < steps.Count; s++)
        {
            var m = steps[s];
            for (int t = 0; t < m.Tiers; t++)
                for (int a = 0; a < platforms; a++)
                    for (int b = 0; b < platforms; b++)
                        sums[a, b] += m.Flows[m.At(t, a, b)];
        }
        var result = new double[platforms, platforms];
        for (int a = 0; a < platforms; a++)
            for (int b = 0; b < platforms; b++)
                result[a, b] = MetricScale.People(sums[a, b], peoplePerAgent) / 1e6;
        return result;
    }

    /// <summary>
    /// [a][b][step]: share of platform a's annual-active users (all tiers) who are also annual-active on b,
    /// Overlap[a,b] / Overlap[a,a]. The diagonal is 1 when a has users and 0 when it has none. The overlap of a pair
    /// (the one definition, used by calibration targets and docs/calibration.md) is this share for the pair's smaller
    /// platform: of the smaller platform's annual-active users, the share also annual-active on the other.
    /// </summary>
    public static double[][][] AlsoActiveShare(IReadOnlyList<StepMetrics> steps, int platforms)
    {
        var result = new double[platforms][][];
        for (int a = 0; a < platforms; a++) result[a] = NewSeries(platforms, steps.Count);
        for (int s = 0; s < steps.Count; s++)
        {
            var m = steps[s];
            for (int a = 0; a < platforms; a++)
            {
                long own = 0;
                for (int t = 0; t < m.Tiers; t++) own += m.Overlap[m.At(t, a, a)];
                for (int b = 0; b < platforms; b++)
                {
                    long both = 0;
                    for (int t = 0; t < m.Tiers; t++) both += m.Overlap[m.At(t, a, b)];
                    result[a][b][s] = Ratio(both, own);
                }
            }
        }
        return result;
    }

    /// <summary>
    /// [a][step]: mean number of other platforms on which platform a's annual-active users are also annual-active,
    /// Σ_{b≠a} Overlap[a,b] / Overlap[a,a]. Exact from pairwise overlaps, unlike "active on at least one other",
    /// which pairwise counts can only bound.
    /// </summary>
    public static double[][] OtherPlatformsPerUser(double[][][] alsoActive)
    {
        int platforms = alsoActive.Length;
        int n = platforms == 0 ? 0 : alsoActive[0][0].Length;
        var result = NewSeries(platforms, n);
        for (int a = 0; a < platforms; a++)
            for (int b = 0; b < platforms; b++)
            {
                if (b == a) continue;
                for (int s = 0; s < n; s++) result[a][s] += alsoActive[a][b][s];
            }
        return result;
    }

    private static double[][] SumOverTiers(IReadOnlyList<StepMetrics> steps, int platforms, MetricColumn column, double scale)
    {
        var result = NewSeries(platforms, steps.Count);
        for (int s = 0; s < steps.Count; s++)
        {
            var m = steps[s];
            long[] values = column.Cells(m);
            for (int p = 0; p < platforms; p++)
            {
                long sum = 0;
                for (int t = 0; t < m.Tiers; t++) sum += values[m.At(t, p)];
                result[p][s] = sum * scale;
            }
        }
        return result;
    }

    private static double Ratio(long numerator, long denominator) => MetricScale.Ratio(numerator, denominator);

    private static double[][] NewSeries(int series, int length)
    {
        var result = new double[series][];
        for (int i = 0; i < series; i++) result[i] = new double[length];
        return result;
    }
}
