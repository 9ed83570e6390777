using MarketSim.Charts;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;
using ScottPlot;

namespace MarketSim.Calibration;

/// <summary>The calibration report's charts, in the project's chart style (<see cref="ChartStyle"/>).</summary>
internal static class CalibrationCharts
{
    private static readonly Color Fitted = new(0x1F, 0x77, 0xB4);
    private static readonly Color Holdout = new(0xFF, 0x7F, 0x0E);
    private static readonly Color Best = new(0x2C, 0xA0, 0x2C);

    /// <summary>Relative error of every target at the fit, fitted targets in blue, held-out ones in orange, tolerances as whiskers.</summary>
    public static byte[] Errors(string title, IReadOnlyList<CalibrationRow> rows, IReadOnlyList<bool> fitted, Func<string, string> name)
    {
        var plot = ChartStyle.NewPlot();
        var bars = new List<Bar>();
        for (int i = 0; i < rows.Count; i++)
        {
            var color = fitted[i] ? Fitted : Holdout;
            bars.Add(new Bar { Position = i, Value = 100 * rows[i].RelativeError, FillColor = color, LineWidth = 0 });
            var tol = plot.Add.Line(i - 0.4, 100 * rows[i].Tolerance, i + 0.4, 100 * rows[i].Tolerance);
            tol.Color = Colors.Black.WithAlpha(0.5);
            tol.LinePattern = LinePattern.Dotted;
            var low = plot.Add.Line(i - 0.4, -100 * rows[i].Tolerance, i + 0.4, -100 * rows[i].Tolerance);
            low.Color = Colors.Black.WithAlpha(0.5);
            low.LinePattern = LinePattern.Dotted;
        }
        plot.Add.Bars(bars);
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Black.WithAlpha(0.6);
        zero.LineWidth = 1;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "fitted", FillColor = Fitted });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "held out (not fitted)", FillColor = Holdout });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "± tolerance", LineColor = Colors.Black.WithAlpha(0.5), LinePattern = LinePattern.Dotted, LineWidth = 2 });
        // Inside the data area: below it the rotated target names need the room.
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Legend.FontName = ChartFonts.Family;
        plot.Legend.FontSize = ChartStyle.LegendSize;
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, rows.Count).Select(i => (double)i)],
            [.. rows.Select(r => Shorten($"{r.Label(name)} {r.Date:yyyy-MM}"))]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 40;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperLeft;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.SetLimitsX(-1, rows.Count);
        plot.Title(title);
        plot.YLabel("simulated vs reported (%)");
        plot.Layout.Fixed(new PixelPadding(left: 100, right: 230, bottom: 300, top: 60)); // room for the last rotated names
        return plot.GetImageBytes(ChartStyle.Width, ChartStyle.Height, ImageFormat.Png);
    }

    /// <summary>Annual-active accounts per platform at the fit (one replication) against the reported figures.</summary>
    public static byte[] AnnualActive(string title, MarketModel model, IReadOnlyList<StepMetrics> steps, IReadOnlyList<CalibrationTargetSpec> targets,
        IReadOnlyList<bool> fitted)
    {
        var plot = ChartStyle.NewPlot();
        var dims = model.Dimensions;
        var colors = ChartStyle.PlatformColors(dims.PlatformColors, dims.Platforms);
        double[] xs = [.. steps.Select(s => ChartStyle.X(s.Date.AddDays(dims.StepDays - 1)))];
        var all = new List<double[]>();
        for (int p = 0; p < dims.Platforms; p++)
        {
            string id = dims.PlatformIds[p];
            var reported = targets.Select((t, i) => (t, i)).Where(x => x.t.Metric == CalibrationMetric.AnnualActive && x.t.Platform == id && x.t.Tiers.Count == 0).ToList();
            if (reported.Count == 0) continue;
            double[] ys = [.. steps.Select(m =>
            {
                long users = 0;
                for (int k = 0; k < m.Tiers; k++) users += m.AnnualActive[m.At(k, p)];
                return MetricScale.People(users * model.AccountsPerUser[p], dims.PeoplePerAgent) / 1e6;
            })];
            all.Add(ys);
            var line = plot.Add.ScatterLine(xs, ys, colors[p]);
            line.LineWidth = ChartStyle.LineWidth;
            line.MarkerSize = 0;
            line.LegendText = dims.PlatformNames[p] + " (simulated)";
            foreach (var (t, i) in reported)
            {
                var dot = plot.Add.Marker(ChartStyle.X(t.Date), t.Value, fitted[i] ? MarkerShape.FilledCircle : MarkerShape.OpenCircle, 14, colors[p]);
                dot.LineWidth = 2.5f;
            }
            all.Add([.. reported.Select(r => r.t.Value)]);
        }
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "reported, fitted", MarkerShape = MarkerShape.FilledCircle, MarkerColor = Colors.Gray, MarkerSize = 12 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "reported, held out", MarkerShape = MarkerShape.OpenCircle, MarkerColor = Colors.Gray, MarkerSize = 12 });
        ChartStyle.DateAxis(plot, xs, dims.StepDays, 10);
        ChartStyle.ZeroBasedY(plot, all);
        ChartStyle.LegendBelow(plot);
        plot.Title(title);
        plot.YLabel("annual-active accounts (millions)");
        return plot.GetImageBytes(ChartStyle.Width, ChartStyle.Height, ImageFormat.Png);
    }

    /// <summary>log10 of the objective at every evaluation, by stage, with the best so far.</summary>
    public static byte[] Objective(string title, IReadOnlyList<EvaluationRecord> records)
    {
        var plot = ChartStyle.NewPlot();
        foreach (var (stage, color, label) in new[] { (CalibrationStage.Global, Fitted, "global design"), (CalibrationStage.Local, Holdout, "Nelder–Mead") })
        {
            var pts = records.Where(r => r.Stage == stage).ToList();
            if (pts.Count == 0) continue;
            var s = plot.Add.ScatterPoints(pts.Select(r => (double)r.Index).ToArray(), pts.Select(r => Log(r.Evaluation.Objective)).ToArray(), color);
            s.MarkerSize = 9;
            s.LegendText = label;
        }
        var best = new double[records.Count];
        double b = double.MaxValue;
        for (int i = 0; i < records.Count; i++) best[i] = Log(b = Math.Min(b, records[i].Evaluation.Objective));
        var line = plot.Add.ScatterLine([.. Enumerable.Range(0, records.Count).Select(i => (double)i)], best, Best);
        line.LineWidth = ChartStyle.LineWidth;
        line.MarkerSize = 0;
        line.LegendText = "best so far";
        ChartStyle.LegendBelow(plot);
        plot.Title(title);
        plot.XLabel("evaluation");
        plot.YLabel("log10 objective");
        return plot.GetImageBytes(ChartStyle.Width, ChartStyle.Height, ImageFormat.Png);
    }

    /// <summary>Each parameter's position within its bounds (0 = min, 1 = max) at every evaluation.</summary>
    public static byte[] Traces(string title, IReadOnlyList<FitParameter> parameters, IReadOnlyList<EvaluationRecord> records)
    {
        var plot = ChartStyle.NewPlot();
        var palette = new ScottPlot.Palettes.Category10().Colors;
        double[] xs = [.. records.Select(r => (double)r.Index)];
        for (int d = 0; d < parameters.Count; d++)
        {
            var s = plot.Add.ScatterLine(xs, [.. records.Select(r => parameters[d].ToUnit(r.Evaluation.Values[d]))], palette[d % palette.Length]);
            s.LineWidth = 1.5f;
            s.MarkerSize = 6;
            s.LegendText = parameters[d].Path;
        }
        plot.Axes.SetLimitsY(-0.05, 1.05);
        ChartStyle.LegendBelow(plot);
        plot.Title(title);
        plot.XLabel("evaluation");
        plot.YLabel("position within bounds (0 = min, 1 = max)");
        return plot.GetImageBytes(ChartStyle.Width, ChartStyle.Height, ImageFormat.Png);
    }

    /// <summary>Objective against each parameter's position within its bounds: a narrow valley pins the parameter, a flat floor leaves it free.</summary>
    public static byte[] Profiles(string title, IReadOnlyList<FitParameter> parameters, IReadOnlyList<EvaluationRecord> records)
    {
        var plot = ChartStyle.NewPlot();
        var palette = new ScottPlot.Palettes.Category10().Colors;
        for (int d = 0; d < parameters.Count; d++)
        {
            var s = plot.Add.ScatterPoints(records.Select(r => parameters[d].ToUnit(r.Evaluation.Values[d])).ToArray(),
                records.Select(r => Log(r.Evaluation.Objective)).ToArray(), palette[d % palette.Length]);
            s.MarkerSize = 8;
            s.LegendText = parameters[d].Path;
        }
        plot.Axes.SetLimitsX(-0.02, 1.02);
        ChartStyle.LegendBelow(plot);
        plot.Title(title);
        plot.XLabel("position within bounds (0 = min, 1 = max)");
        plot.YLabel("log10 objective");
        return plot.GetImageBytes(ChartStyle.Width, ChartStyle.Height, ImageFormat.Png);
    }

    private static double Log(double v) => Math.Log10(Math.Max(v, 1e-12));

    private static string Shorten(string s) => s.Length > 46 ? s[..45] + "…" : s;
}
