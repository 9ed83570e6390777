using System.Globalization;
using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Sweeps;

/// <summary>
/// One named output of a sweep: a column of metrics.parquet summed over chosen tiers and platforms, at one step or
/// summed over the steps of a period. One number per run (per arm when the sweep measures an effect), a column of
/// summary.parquet and what the sensitivity analysis explains.
/// </summary>
/// <param name="Name">Column name in summary.parquet.</param>
/// <param name="Metric">Column of metrics.parquet (<see cref="Metrics"/>).</param>
/// <param name="Tiers">Tier ids summed over; empty = all tiers.</param>
/// <param name="Platforms">Platform ids summed over; empty = all platforms.</param>
/// <param name="At">The step containing this day; null with <see cref="From"/> null means the last step.</param>
/// <param name="From">First day of a period: steps starting on or after it (with <see cref="To"/>) are summed.</param>
/// <param name="To">Last day of the period: steps starting on or before it.</param>
public sealed record NamedOutput(string Name, string Metric, IReadOnlyList<string> Tiers, IReadOnlyList<string> Platforms,
    DateOnly? At, DateOnly? From, DateOnly? To)
{
    /// <summary>Metrics a named output can take: the value columns of metrics.parquet (<see cref="MetricColumns"/>).</summary>
    public static IReadOnlyList<string> Metrics { get; } = MetricColumns.All.Select(c => c.Name).ToArray();

    /// <summary>True when the output sums a period rather than reading one step.</summary>
    public bool IsPeriod => From is not null;

    /// <summary>The output in normal form, as sweep.resolved.yaml writes it.</summary>
    public string ResolvedText()
    {
        string when = IsPeriod ? $"from: {From:yyyy-MM-dd}, to: {To:yyyy-MM-dd}" : At is { } d ? $"at: {d:yyyy-MM-dd}" : "at: end";
        return $"{{metric: {Metric}, tiers: [{string.Join(", ", Tiers)}], platforms: [{string.Join(", ", Platforms)}], {when}}}";
    }

    /// <summary>Steps whose values are summed (one for <c>at</c>), given the run's calendar.</summary>
    public (int First, int Last) StepRange(MarketModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int StepOf(DateOnly day)
        {
            int s = 0;
            while (s + 1 < model.Steps && model.StepDate(s + 1) <= day) s++;
            return s;
        }
        if (IsPeriod)
        {
            int first = 0;
            while (first < model.Steps && model.StepDate(first) < From!.Value) first++;
            int last = model.Steps - 1;
            while (last >= 0 && model.StepDate(last) > To!.Value) last--;
            return (first, last);
        }
        return At is { } at ? (StepOf(at), StepOf(at)) : (model.Steps - 1, model.Steps - 1);
    }
}

/// <summary>
/// Computes a run's named outputs from its steps as they pass, with the same arithmetic as metrics.parquet (each
/// column's <see cref="MetricColumn.Factor"/>), summed in a fixed order (tier, then platform), so a value does not
/// depend on threads and equals the sum a reader takes over the matching rows of the run's metrics.parquet.
/// </summary>
public sealed class NamedOutputAccumulator
{
    private readonly IReadOnlyList<NamedOutput> outputs;
    private readonly MetricColumn[] columns;
    private readonly (int First, int Last)[] ranges;
    private readonly int[][] tiers, platforms;
    private readonly double[] values;
    private readonly double scale;
    private readonly int platformCount;

    /// <summary>Prepares the outputs for a run of <paramref name="model"/>; tier and platform ids must exist in it.</summary>
    public NamedOutputAccumulator(IReadOnlyList<NamedOutput> outputs, MarketModel model)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(model);
        this.outputs = outputs;
        columns = outputs.Select(o => MetricColumns.Find(o.Metric) ?? throw new ArgumentException($"unknown metric '{o.Metric}'", nameof(outputs)))
            .ToArray();
        var dims = model.Dimensions;
        scale = dims.PeoplePerAgent;
        platformCount = dims.Platforms;
        ranges = outputs.Select(o => o.StepRange(model)).ToArray();
        tiers = outputs.Select(o => Indices(o.Tiers, dims.TierIds)).ToArray();
        platforms = outputs.Select(o => Indices(o.Platforms, dims.PlatformIds)).ToArray();
        values = new double[outputs.Count];
    }

    private static int[] Indices(IReadOnlyList<string> chosen, IReadOnlyList<string> ids) =>
        chosen.Count == 0 ? Enumerable.Range(0, ids.Count).ToArray()
            : ids.Select((id, i) => (id, i)).Where(x => chosen.Contains(x.id)).Select(x => x.i).ToArray();

    /// <summary>Takes one step's metrics into account.</summary>
    public void Observe(StepMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        for (int o = 0; o < outputs.Count; o++)
        {
            var (first, last) = ranges[o];
            if (m.Step < first || m.Step > last) continue;
            var column = columns[o];
            if (column.Of is { } whole)
            {
                // A share of the chosen tiers: summed counts over summed denominators (a per-tier denominator, such as
                // the tier's shoppers, once per tier).
                long part = 0, total = 0;
                foreach (int t in tiers[o])
                {
                    if (whole.PerTier) total += whole.Agents(m, t, 0);
                    foreach (int p in platforms[o])
                    {
                        part += column.Agents(m, t, p);
                        if (!whole.PerTier) total += whole.Agents(m, t, p);
                    }
                }
                values[o] += MetricScale.Ratio(part, total);
                continue;
            }
            double factor = column.Factor(scale);
            if (column.PerTier)
            {
                foreach (int t in tiers[o]) values[o] += column.Agents(m, t, 0) * factor;
                continue;
            }
            long[] cells = column.Cells(m);
            foreach (int t in tiers[o])
                foreach (int p in platforms[o])
                    values[o] += cells[t * platformCount + p] * factor;
        }
    }

    /// <summary>The outputs' values, in the order of the outputs.</summary>
    public double[] Values => (double[])values.Clone();

    /// <summary>A value as written in markers (round-trip).</summary>
    public static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>What <c>marketsim analyze</c> does with a sweep, from the sweep file's <c>analysis:</c> section.</summary>
/// <param name="AfterSweep">Analyse as soon as the sweep's last run is done.</param>
/// <param name="Bootstrap">Bootstrap resamples of the Sobol' and Morris intervals.</param>
/// <param name="Seed">Seed of the bootstrap resampling (fixed, so the analysis is deterministic).</param>
/// <param name="Bins">Bins of each parameter's range for main effects.</param>
public sealed record AnalysisOptions(bool AfterSweep = false, int Bootstrap = 1000, ulong Seed = 1, int Bins = 5)
{
    /// <summary>The defaults (no analysis after the sweep).</summary>
    public static AnalysisOptions Default { get; } = new();
}
