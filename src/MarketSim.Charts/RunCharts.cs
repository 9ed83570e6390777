using System.Globalization;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;
using ScottPlot;

namespace MarketSim.Charts;

/// <summary>
/// Renders the standard slide-sized charts of one simulation run. All counts are converted from agents to people
/// here, and every file appears atomically, so a reader watching the folder never opens a half-written PNG.
/// </summary>
public static class RunCharts
{
    /// <summary>File names <see cref="RenderAll"/> writes, in order.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        ["shares.png", "shares_by_tier.png", "annual_active.png", "flows_heatmap.png", "overlap.png", "gmv.png"];

    /// <summary>
    /// Writes shares.png, shares_by_tier.png, annual_active.png, flows_heatmap.png, overlap.png and gmv.png into
    /// <paramref name="folder"/> (created if missing), replacing files of the same name.
    /// </summary>
    /// <param name="folder">Output folder.</param>
    /// <param name="dims">Names, colours and scale of the run's dimensions.</param>
    /// <param name="steps">Metrics of every step, in step order.</param>
    /// <param name="title">The scenario's display name, shown in every chart title.</param>
    /// <param name="marks">Events, warm-up and last calibration target to mark on the time charts (none when null).</param>
    /// <returns>Full paths of the files written, in the order of <see cref="FileNames"/>.</returns>
    /// <exception cref="ArgumentException">No steps, or steps whose dimensions disagree with <paramref name="dims"/>.</exception>
    public static IReadOnlyList<string> RenderAll(string folder, ModelDimensions dims, IReadOnlyList<StepMetrics> steps, string title,
        ChartMarks? marks = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(dims);
        ArgumentNullException.ThrowIfNull(steps);
        Validate(dims, steps);
        title = string.IsNullOrWhiteSpace(title) ? "MarketSim run" : title.Trim();

        Directory.CreateDirectory(folder);
        var ctx = new Context(dims, steps, title, marks ?? ChartMarks.None);
        var charts = new (string Name, Func<Context, byte[]> Render)[]
        {
            ("shares.png", Shares),
            ("shares_by_tier.png", SharesByTier),
            ("annual_active.png", AnnualActive),
            ("flows_heatmap.png", FlowsHeatmap),
            ("overlap.png", Overlap),
            ("gmv.png", Gmv),
        };
        var paths = new List<string>(charts.Length);
        foreach (var (name, render) in charts)
        {
            string path = Path.GetFullPath(Path.Combine(folder, name));
            AtomicFile.Write(path, render(ctx));
            paths.Add(path);
        }
        return paths;
    }

    private static void Validate(ModelDimensions dims, IReadOnlyList<StepMetrics> steps)
    {
        if (steps.Count == 0)
            throw new ArgumentException("Cannot draw charts of a run with no steps: the step list is empty.", nameof(steps));
        if (dims.Platforms == 0 || dims.Tiers == 0)
            throw new ArgumentException($"Cannot draw charts with {dims.Tiers} tiers and {dims.Platforms} platforms.", nameof(dims));
        for (int s = 0; s < steps.Count; s++)
        {
            var m = steps[s] ?? throw new ArgumentException($"Step {s} is null.", nameof(steps));
            if (m.Tiers != dims.Tiers || m.Platforms != dims.Platforms)
                throw new ArgumentException(
                    $"Step {s} has {m.Tiers} tiers × {m.Platforms} platforms but the dimensions have {dims.Tiers} × {dims.Platforms}.",
                    nameof(steps));
        }
    }

    /// <summary>Everything derived once from the inputs and shared by the charts.</summary>
    private sealed class Context
    {
        public Context(ModelDimensions dims, IReadOnlyList<StepMetrics> steps, string title, ChartMarks marks)
        {
            Marks = marks;
            Dims = dims;
            Steps = steps;
            Title = title;
            P = dims.Platforms;
            Xs = ChartSeries.Dates(steps);
            Colors = ChartStyle.PlatformColors(dims.PlatformColors, P);
            Names = Enumerable.Range(0, P).Select(p => Name(dims.PlatformNames, dims.PlatformIds, p, "Platform")).ToArray();
            TierNames = Enumerable.Range(0, dims.Tiers).Select(t => Name(dims.TierNames, dims.TierIds, t, "Tier")).ToArray();
            PeoplePerAgent = double.IsFinite(dims.PeoplePerAgent) && dims.PeoplePerAgent > 0 ? dims.PeoplePerAgent : 1;
            StepDays = dims.StepDays > 0 ? dims.StepDays : 7;
        }

        public ModelDimensions Dims { get; }
        public ChartMarks Marks { get; }
        /// <summary>Marks for charts of primary users and GMV, which need no warm-up and have no target.</summary>
        public ChartMarks EventsOnly => Marks with { WarmUpEnd = null, LastCalibrationTarget = null };
        public IReadOnlyList<StepMetrics> Steps { get; }
        public string Title { get; }
        public int P { get; }
        public double[] Xs { get; }
        public Color[] Colors { get; }
        public string[] Names { get; }
        public string[] TierNames { get; }
        public double PeoplePerAgent { get; }
        public int StepDays { get; }

        public string Period =>
            $"{Format(Steps[0].Date)} to {Format(Steps[^1].Date.AddDays(StepDays - 1))}";

        private static string Name(IReadOnlyList<string>? names, IReadOnlyList<string>? ids, int i, string kind) =>
            names is not null && i < names.Count && !string.IsNullOrWhiteSpace(names[i]) ? names[i]
            : ids is not null && i < ids.Count && !string.IsNullOrWhiteSpace(ids[i]) ? ids[i]
            : $"{kind} {i + 1}";
    }

    internal static string Format(DateOnly d) => d.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static byte[] Png(Plot plot, int width = ChartStyle.Width, int height = ChartStyle.Height) =>
        plot.GetImageBytes(width, height, ImageFormat.Png);

    /// <summary>
    /// Series whose peak is under a quarter of the largest peak: drawn in their own panel, where Kuaishou's 2 % share or
    /// Douyin's GMV are readable instead of squashed against the axis.
    /// </summary>
    private static bool[] Small(double[][] series)
    {
        var peaks = series.Select(s => s.Where(double.IsFinite).DefaultIfEmpty(0).Max()).ToArray();
        double max = peaks.DefaultIfEmpty(0).Max();
        return peaks.Select(p => p < 0.25 * max).ToArray();
    }

    /// <summary>The large platforms in one panel and the small ones in a second with its own scale (one panel when all are alike).</summary>
    private static byte[] LargeAndSmall(Context c, double[][] series, string title, string subtitle, string yLabel, bool percent, ChartMarks marks)
    {
        var small = Small(series);
        var large = small.Select(x => !x).ToArray();
        var panels = new List<SmallMultiples.Panel>();
        string Names(bool[] which) => string.Join(", ", Enumerable.Range(0, c.P).Where(p => which[p]).Select(p => ChartStyle.ShortName(c.Names[p])));
        if (small.Any(x => x) && large.Any(x => x))
        {
            panels.Add(new SmallMultiples.Panel(Names(large), series, c.Colors, yLabel, percent, Show: large));
            panels.Add(new SmallMultiples.Panel($"{Names(small)} (own scale)", series, c.Colors, yLabel, percent, Show: small));
        }
        else panels.Add(new SmallMultiples.Panel("All platforms", series, c.Colors, yLabel, percent));
        return SmallMultiples.Render(title, subtitle, yLabel, c.Xs, c.StepDays, panels, c.Names, c.Colors, sharedY: false, marks);
    }

    private static byte[] Shares(Context c)
    {
        var shares = Percent(ChartSeries.PrimaryShare(c.Steps, c.P));
        return LargeAndSmall(c, shares, $"{c.Title}: primary-platform share of online shoppers, all tiers",
            "Share of online shoppers whose primary platform it is. Primary shares have no published target: they are the model's, not measured.",
            "Share of online shoppers (%)", percent: true, c.EventsOnly);
    }

    private static byte[] SharesByTier(Context c)
    {
        int tiers = c.Dims.Tiers;
        var perTier = new double[tiers][][];
        for (int t = 0; t < tiers; t++) perTier[t] = Percent(ChartSeries.PrimaryShare(c.Steps, c.P, t));
        var tierColors = ChartStyle.TierColors(tiers);
        var panels = new List<SmallMultiples.Panel>();
        for (int p = 0; p < c.P; p++)
        {
            var byTier = Enumerable.Range(0, tiers).Select(t => perTier[t][p]).ToArray();
            panels.Add(new SmallMultiples.Panel(c.Names[p], byTier, tierColors, "Share of the tier (%)"));
        }
        return SmallMultiples.Render(
            $"{c.Title}: primary-platform share by city tier",
            "One panel per platform, one line per tier, each panel on its own scale. No published figure is broken down by tier: these splits are the model's.",
            "Share of the tier (%)",
            c.Xs, c.StepDays, panels, c.TierNames, tierColors, sharedY: false, c.EventsOnly);
    }

    private static byte[] AnnualActive(Context c)
    {
        var users = ChartSeries.AnnualActiveMillions(c.Steps, c.P, c.PeoplePerAgent);
        var plot = ChartStyle.NewPlot();
        c.Marks.DrawWarmUp(plot);
        ChartStyle.Lines(plot, c.Xs, users, c.Names, c.Colors);
        ChartStyle.DateAxis(plot, c.Xs, c.StepDays, 12);
        double max = users.SelectMany(u => u).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        c.Marks.DrawEvents(plot, 0, max > 0 ? max : 1);
        plot.Title($"{c.Title}: annual-active users, all tiers");
        plot.YLabel("Ordered in the last 52 weeks (million people)");
        if (c.Marks.WarmUpEnd is not null) plot.XLabel("Grey: warm-up, the first 52 weeks (annual-active counts need a year of orders)");
        ChartStyle.LegendBelow(plot);
        return Png(plot);
    }

    private static byte[] Gmv(Context c)
    {
        var gmv = ChartSeries.GmvBillionYuan(c.Steps, c.P, c.PeoplePerAgent);
        return LargeAndSmall(c, gmv, $"{c.Title}: GMV sold on each platform per {c.StepDays}-day step, all tiers",
            "Billion yuan per step; festivals make the spikes. Yearly GMV is checked against published figures where the scenario has them (calibration.parquet).",
            $"GMV per step (billion yuan)", percent: false, c.EventsOnly);
    }

    private static byte[] FlowsHeatmap(Context c)
    {
        int first = ChartSeries.FirstStepOfLastYear(c.Steps);
        double[,] flows = ChartSeries.FlowsMillions(c.Steps, c.P, c.PeoplePerAgent, first);
        bool wholeRun = first == 0;
        return Heatmaps.Flows(
            $"{c.Title}: primary switches, {(wholeRun ? "whole run" : "last 52 weeks")} to {Format(c.Steps[^1].Date.AddDays(c.StepDays - 1))} (million people)",
            flows, c.Names);
    }

    private static byte[] Overlap(Context c)
    {
        var also = ChartSeries.AlsoActiveShare(c.Steps, c.P);
        var panels = new List<SmallMultiples.Panel>();
        for (int a = 0; a < c.P; a++)
        {
            string shortName = ChartStyle.ShortName(c.Names[a]);
            panels.Add(new SmallMultiples.Panel(
                $"{shortName} users also active on…", Percent(also[a]), c.Colors,
                YLabel: $"% of {shortName} users", Skip: a)); // a platform's overlap with itself is 100%: not drawn
        }
        return SmallMultiples.Render(
            $"{c.Title}: multi-homing among annual-active users, all tiers",
            "Each panel takes one platform's annual-active users and shows the share of them also annual-active on each other platform; same scale in every panel. " +
            "The overlap of a pair (as calibration targets define it) is the smaller platform's panel: of its users, the share also active on the other. " +
            (c.Marks.WarmUpEnd is null ? "" : "Grey: warm-up, the first 52 weeks (annual-active counts need a year of orders)."),
            "Share of the platform's users (%)",
            c.Xs, c.StepDays, panels, c.Names, c.Colors, sharedY: true, c.Marks with { LastCalibrationTarget = null });
    }

    private static double[][] Percent(double[][] series)
    {
        var result = new double[series.Length][];
        for (int i = 0; i < series.Length; i++) result[i] = series[i].Select(v => v * 100).ToArray();
        return result;
    }
}
