using System.Globalization;
using MarketSim.Engine;
using ScottPlot;
using MarketSim.Model;

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
    /// <param name="title">Run or scenario name, shown in every chart title.</param>
    /// <returns>Full paths of the files written, in the order of <see cref="FileNames"/>.</returns>
    /// <exception cref="ArgumentException">No steps, or steps whose dimensions disagree with <paramref name="dims"/>.</exception>
    public static IReadOnlyList<string> RenderAll(string folder, ModelDimensions dims, IReadOnlyList<StepMetrics> steps, string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(dims);
        ArgumentNullException.ThrowIfNull(steps);
        Validate(dims, steps);
        title = string.IsNullOrWhiteSpace(title) ? "MarketSim run" : title.Trim();

        Directory.CreateDirectory(folder);
        var ctx = new Context(dims, steps, title);
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
        public Context(ModelDimensions dims, IReadOnlyList<StepMetrics> steps, string title)
        {
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

    private static byte[] Shares(Context c)
    {
        var shares = Percent(ChartSeries.PrimaryShare(c.Steps, c.P));
        var plot = ChartStyle.NewPlot();
        ChartStyle.Lines(plot, c.Xs, shares, c.Names, c.Colors);
        ChartStyle.DateAxis(plot, c.Xs, c.StepDays, 12);
        ChartStyle.ZeroBasedY(plot, shares);
        plot.Title($"{c.Title}: primary-platform share of online shoppers, all tiers");
        plot.YLabel("Share of online shoppers with this primary platform (%)");
        plot.XLabel("Step start date");
        ChartStyle.LegendRight(plot);
        return Png(plot);
    }

    private static byte[] SharesByTier(Context c)
    {
        int tiers = c.Dims.Tiers;
        var perTier = new double[tiers][][];
        for (int t = 0; t < tiers; t++) perTier[t] = Percent(ChartSeries.PrimaryShare(c.Steps, c.P, t));
        var panels = new List<SmallMultiples.Panel>();
        for (int t = 0; t < tiers; t++)
            panels.Add(new SmallMultiples.Panel(c.TierNames[t], perTier[t], c.Colors));
        return SmallMultiples.Render(
            $"{c.Title}: primary-platform share of online shoppers, by city tier",
            "Share of the tier's online shoppers with this primary platform (%); same y scale in every panel",
            "Share (%)",
            c.Xs, c.StepDays, panels, c.Names, c.Colors, sharedY: true);
    }

    private static byte[] AnnualActive(Context c)
    {
        var users = ChartSeries.AnnualActiveMillions(c.Steps, c.P, c.PeoplePerAgent);
        var plot = ChartStyle.NewPlot();
        ChartStyle.Lines(plot, c.Xs, users, c.Names, c.Colors);
        ChartStyle.DateAxis(plot, c.Xs, c.StepDays, 12);
        ChartStyle.ZeroBasedY(plot, users);
        plot.Title($"{c.Title}: annual-active users, all tiers");
        plot.YLabel("Annual-active users, ordered in the last 52 weeks (million people)");
        plot.XLabel("Step start date");
        ChartStyle.LegendRight(plot);
        return Png(plot);
    }

    private static byte[] Gmv(Context c)
    {
        var gmv = ChartSeries.GmvBillionYuan(c.Steps, c.P, c.PeoplePerAgent);
        var plot = ChartStyle.NewPlot();
        ChartStyle.Lines(plot, c.Xs, gmv, c.Names, c.Colors);
        ChartStyle.DateAxis(plot, c.Xs, c.StepDays, 12);
        ChartStyle.ZeroBasedY(plot, gmv);
        plot.Title($"{c.Title}: GMV sold on each platform per {c.StepDays}-day step, all tiers");
        plot.YLabel($"GMV per {c.StepDays}-day step (billion yuan)");
        plot.XLabel("Step start date");
        ChartStyle.LegendRight(plot);
        return Png(plot);
    }

    private static byte[] FlowsHeatmap(Context c)
    {
        int first = ChartSeries.FirstStepOfLastYear(c.Steps);
        double[,] flows = ChartSeries.FlowsMillions(c.Steps, c.P, c.PeoplePerAgent, first);
        string window = $"{Format(c.Steps[first].Date)} to {Format(c.Steps[^1].Date.AddDays(c.StepDays - 1))}";
        bool wholeRun = first == 0;
        return Heatmaps.Flows(
            $"{c.Title}: primary-platform switches, {(wholeRun ? "whole run" : "last 52 weeks")} ({window})",
            flows, c.Names);
    }

    private static byte[] Overlap(Context c)
    {
        var also = ChartSeries.AlsoActiveShare(c.Steps, c.P);
        var degree = ChartSeries.OtherPlatformsPerUser(also);
        var panels = new List<SmallMultiples.Panel>
        {
            new("Other platforms used per annual-active user", degree, c.Colors, YLabel: "Other platforms (mean per user)", Percent: false),
        };
        for (int a = 0; a < c.P; a++)
        {
            string shortName = ChartStyle.ShortName(c.Names[a]);
            panels.Add(new SmallMultiples.Panel(
                $"{shortName} users also active on…", Percent(also[a]), c.Colors,
                YLabel: $"% of {shortName} annual-active users", Skip: a)); // a platform's overlap with itself is 100%: not drawn
        }
        return SmallMultiples.Render(
            $"{c.Title}: multi-homing among annual-active users, all tiers",
            "First panel: mean number of other platforms each platform's annual-active users are also annual-active on, Σ_B overlap(A,B) / users(A). " +
            "Other panels, one per platform A: % of A's annual-active users also annual-active on B, one line per B.",
            "Share of A's users (%)",
            c.Xs, c.StepDays, panels, c.Names, c.Colors, sharedY: false);
    }

    private static double[][] Percent(double[][] series)
    {
        var result = new double[series.Length][];
        for (int i = 0; i < series.Length; i++) result[i] = series[i].Select(v => v * 100).ToArray();
        return result;
    }
}
