using MarketSim.Charts;
using ScottPlot;
using SkiaSharp;

namespace MarketSim.Analysis;

/// <summary>
/// The sensitivity report's charts, in the project's chart style (<see cref="ChartStyle"/>, the bundled font): Sobol'
/// indices with their intervals, the Morris μ*–σ plane, and a panel of main effects per parameter.
/// </summary>
internal static class AnalysisCharts
{
    private static readonly Color FirstColor = new(0x1F, 0x77, 0xB4);
    private static readonly Color TotalColor = new(0xFF, 0x7F, 0x0E);

    /// <summary>First-order and total indices per parameter as bars with 95 % interval whiskers.</summary>
    public static byte[] Sobol(string title, IReadOnlyList<string> parameters, IReadOnlyList<SobolIndex> indices)
    {
        var plot = ChartStyle.NewPlot();
        var bars = new List<Bar>();
        for (int i = 0; i < parameters.Count; i++)
        {
            // An index whose interval is too wide to rank anything is drawn pale: a solid bar would read as a finding.
            bars.Add(new Bar { Position = 3 * i, Value = indices[i].First.Value, FillColor = AnalysisReport.Resolved(indices[i].First) ? FirstColor : FirstColor.WithAlpha(0.22) });
            bars.Add(new Bar { Position = 3 * i + 1, Value = indices[i].Total.Value, FillColor = AnalysisReport.Resolved(indices[i].Total) ? TotalColor : TotalColor.WithAlpha(0.22) });
        }
        plot.Add.Bars(bars);
        for (int i = 0; i < parameters.Count; i++)
        {
            Whisker(plot, 3 * i, indices[i].First);
            Whisker(plot, 3 * i + 1, indices[i].Total);
        }
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "first order S1", FillColor = FirstColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "total ST", FillColor = TotalColor });
        if (indices.Any(x => !AnalysisReport.Resolved(x.First) || !AnalysisReport.Resolved(x.Total)))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"pale: not resolved\n(interval > {AnalysisReport.ResolvedWidth:0.0} wide)", FillColor = Colors.Gray.WithAlpha(0.22) });
        plot.ShowLegend(Edge.Right);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, parameters.Count).Select(i => 3.0 * i + 0.5).ToArray(), parameters.Select(Short).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = parameters.Count > 4 ? -20 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = parameters.Count > 4 ? Alignment.UpperLeft : Alignment.UpperCenter;
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Black.WithAlpha(0.6);
        zero.LineWidth = 1;
        double top = indices.SelectMany(s => new[] { s.First.High ?? s.First.Value, s.Total.High ?? s.Total.Value }).DefaultIfEmpty(1).Max();
        double bottom = indices.SelectMany(s => new[] { s.First.Low ?? s.First.Value, s.Total.Low ?? s.Total.Value }).DefaultIfEmpty(0).Min();
        plot.Axes.SetLimitsY(Math.Min(0, bottom) - 0.02, Math.Max(1, top) + 0.05);
        plot.Axes.SetLimitsX(-1, 3 * parameters.Count - 1);
        plot.Title(title);
        plot.YLabel("share of the output's variance");
        plot.Layout.Fixed(new PixelPadding(left: 100, right: 260, bottom: parameters.Count > 4 ? 200 : 70, top: 60));
        return plot.GetImageBytes(ChartStyle.Width, ChartStyle.Height, ImageFormat.Png);
    }

    /// <summary>Morris's μ*–σ plane: one labelled point per parameter (far right = influential; high = non-linear or interacting).</summary>
    public static byte[] Morris(string title, IReadOnlyList<string> parameters, IReadOnlyList<MorrisIndex> indices, string unit)
    {
        var plot = ChartStyle.NewPlot();
        var colors = new ScottPlot.Palettes.Category10().Colors;
        double max = Math.Max(1e-12, indices.Select(m => Math.Max(m.MuStar.High ?? m.MuStar.Value, m.Sigma)).DefaultIfEmpty(1).Max());
        var diagonal = plot.Add.Line(0, 0, max * 1.1, max * 1.1);
        diagonal.Color = Colors.Gray.WithAlpha(0.6);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "σ = μ*";
        for (int i = 0; i < parameters.Count; i++)
        {
            var m = indices[i];
            var color = colors[i % colors.Length];
            var point = plot.Add.Marker(m.MuStar.Value, m.Sigma);
            point.Color = color;
            point.Size = 14;
            if (m.MuStar.Low is { } lo && m.MuStar.High is { } hi)
            {
                var w = plot.Add.Line(lo, m.Sigma, hi, m.Sigma);
                w.Color = color;
                w.LineWidth = 2;
            }
            var label = plot.Add.Text(Short(parameters[i]), m.MuStar.Value, m.Sigma);
            label.LabelFontName = ChartFonts.Family;
            label.LabelFontSize = 16;
            label.LabelFontColor = color;
            label.OffsetX = 10;
            label.OffsetY = -8;
        }
        plot.Axes.SetLimits(0, max * 1.25, 0, max * 1.15);
        plot.Title(title);
        plot.XLabel($"μ* (mean |elementary effect|, {unit} per step Δ of the unit range)");
        plot.YLabel("σ (spread of the elementary effects)");
        return plot.GetImageBytes(ChartStyle.Width, ChartStyle.Height, ImageFormat.Png);
    }

    /// <summary>One panel per parameter: the output's mean in each bin of the parameter with its 95 % interval.</summary>
    public static byte[] MainEffects(string title, string yLabel, IReadOnlyList<string> parameters,
        IReadOnlyList<(double Centre, Estimate Mean, int Count)[]> effects)
    {
        const int width = 2400, panelHeight = 560, header = 70;
        int n = parameters.Count;
        int cols = n <= 1 ? 1 : n <= 4 ? 2 : n <= 9 ? 3 : 4;
        int rows = (n + cols - 1) / cols;
        var finite = effects.SelectMany(e => e).SelectMany(b => new[] { b.Mean.Low ?? b.Mean.Value, b.Mean.High ?? b.Mean.Value, b.Mean.Value })
            .Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        double lo = finite.Min(), hi = finite.Max(), pad = Math.Max(1e-9, (hi - lo) * 0.08);
        var plots = new List<Plot>();
        for (int i = 0; i < n; i++)
        {
            var plot = ChartStyle.NewPlot();
            var bins = effects[i].Where(b => double.IsFinite(b.Mean.Value)).ToArray();
            if (bins.Length > 0)
            {
                var line = plot.Add.ScatterLine(bins.Select(b => b.Centre).ToArray(), bins.Select(b => b.Mean.Value).ToArray(), FirstColor);
                line.LineWidth = ChartStyle.LineWidth;
                line.MarkerSize = 9;
                foreach (var b in bins)
                    if (b.Mean.Low is { } l && b.Mean.High is { } h)
                    {
                        var w = plot.Add.Line(b.Centre, l, b.Centre, h);
                        w.Color = FirstColor.WithAlpha(0.7);
                        w.LineWidth = 2;
                    }
            }
            plot.Axes.SetLimitsY(lo - pad, hi + pad);
            plot.Title(Short(parameters[i]));
            plot.Axes.Title.Label.FontSize = ChartStyle.PanelTitleSize;
            plot.YLabel(yLabel);
            plot.Axes.Left.Label.FontSize = 17;
            plot.Layout.Fixed(new PixelPadding(left: 110, right: 30, bottom: 50, top: 50));
            plots.Add(plot);
        }
        var multiplot = new Multiplot(plots[0]);
        for (int i = 1; i < plots.Count; i++) multiplot.AddPlot(plots[i]);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, cols);
        int height = header + rows * panelHeight;
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not create a {width}×{height} surface.");
        surface.Canvas.Clear(SKColors.White);
        using (var font = new SKFont(ChartFonts.Bold, 30))
        using (var ink = new SKPaint { Color = new SKColor(0x20, 0x20, 0x20), IsAntialias = true })
            surface.Canvas.DrawText(title, width / 2f, 45, SKTextAlign.Center, font, ink);
        using (var grid = SKSurface.Create(new SKImageInfo(width, rows * panelHeight, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("SkiaSharp could not create the panel surface."))
        {
            grid.Canvas.Clear(SKColors.White);
            multiplot.Render(grid.Canvas, new PixelRect(left: 0, right: width, bottom: rows * panelHeight, top: 0));
            using var image = grid.Snapshot();
            surface.Canvas.DrawImage(image, 0, header);
        }
        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static void Whisker(Plot plot, double x, Estimate e)
    {
        if (e.Low is not { } lo || e.High is not { } hi) return;
        var line = plot.Add.Line(x, lo, x, hi);
        line.Color = Colors.Black;
        line.LineWidth = 2;
        foreach (double y in new[] { lo, hi })
        {
            var cap = plot.Add.Line(x - 0.15, y, x + 0.15, y);
            cap.Color = Colors.Black;
            cap.LineWidth = 2;
        }
    }

    /// <summary>A parameter's label: its scenario path without the first segment (<c>behaviour.attention</c> → <c>attention</c>).</summary>
    internal static string Short(string path)
    {
        int dot = path.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && dot < path.Length - 1 ? path[(dot + 1)..] : path;
    }
}
