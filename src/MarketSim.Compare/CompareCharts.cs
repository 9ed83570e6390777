using MarketSim.Charts;
using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace MarketSim.Compare;

/// <summary>The report's charts: differences over time with 95 % bands, the tier × platform heat map, net switching.</summary>
internal static class CompareCharts
{
    /// <summary>One line of a difference chart: its mean and, with intervals, its band.</summary>
    public sealed record Series(string Name, Color Color, double[] Mean, double[]? Low, double[]? High);

    /// <summary>
    /// Lines of mean differences with their 95 % bands (omitted with one replication), the dates of
    /// <paramref name="events"/> marked and labelled, the legend below the plot.
    /// </summary>
    public static byte[] DifferencesOverTime(string title, string yLabel, DateOnly[] dates, int stepDays,
        IReadOnlyList<Series> series, IReadOnlyList<ChartEvent> events) =>
        DifferencesPlot(title, yLabel, dates, stepDays, series, events).GetImageBytes(ChartStyle.Width, ChartStyle.Height, ImageFormat.Png);

    /// <summary>The plot of <see cref="DifferencesOverTime"/>, for a caller that renders it otherwise (the studio: SVG).</summary>
    public static Plot DifferencesPlot(string title, string yLabel, DateOnly[] dates, int stepDays,
        IReadOnlyList<Series> series, IReadOnlyList<ChartEvent> events)
    {
        var plot = ChartStyle.NewPlot();
        double[] xs = dates.Select(ChartStyle.X).ToArray();
        foreach (var s in series)
        {
            if (s.Low is null || s.High is null) continue;
            var band = plot.Add.FillY(xs, s.High, s.Low);
            band.FillColor = s.Color.WithAlpha(0.22);
            band.LineWidth = 0;
        }
        foreach (var s in series)
        {
            var line = plot.Add.ScatterLine(xs, s.Mean, s.Color);
            line.LineWidth = ChartStyle.LineWidth;
            line.MarkerSize = 0;
            line.LegendText = s.Name;
        }
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Black.WithAlpha(0.6);
        zero.LineWidth = 1;
        ChartStyle.DateAxis(plot, xs, stepDays, 12);
        var all = series.SelectMany(s => new[] { s.Mean, s.Low ?? s.Mean, s.High ?? s.Mean }).ToList();
        double min = Math.Min(0, all.SelectMany(a => a).Where(double.IsFinite).DefaultIfEmpty(0).Min());
        double max = Math.Max(0, all.SelectMany(a => a).Where(double.IsFinite).DefaultIfEmpty(0).Max());
        if (max == min) max = min + 1;
        ChartStyle.Events(plot, events.Where(e => e.Date >= dates[0] && e.Date <= dates[^1].AddDays(stepDays)).Select(e => (ChartStyle.X(e.Date), e.Label)).ToList(),
            min, max);
        plot.Title(title);
        plot.YLabel(yLabel);
        ChartStyle.LegendBelow(plot);
        return plot;
    }

    /// <summary>
    /// The same differences per city tier: one panel per tier on a shared y scale (so tiers compare at a glance), bands
    /// and event lines as in <see cref="DifferencesOverTime"/>, one legend under the title for all panels.
    /// </summary>
    public static byte[] DifferencesByTier(string title, string yLabel, DateOnly[] dates, int stepDays, IReadOnlyList<string> tierNames,
        IReadOnlyList<IReadOnlyList<Series>> perTier, IReadOnlyList<ChartEvent> events)
    {
        ChartFonts.EnsureRegistered();
        int n = perTier.Count, cols = n <= 4 ? 2 : 3, rows = (n + cols - 1) / cols;
        const int width = 2400, header = 120, panelHeight = 500;
        double[] xs = dates.Select(ChartStyle.X).ToArray();
        var values = perTier.SelectMany(s => s).SelectMany(s => new[] { s.Mean, s.Low ?? s.Mean, s.High ?? s.Mean }).SelectMany(a => a)
            .Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        double min = Math.Min(0, values.Min()), max = Math.Max(0, values.Max());
        if (max == min) max = min + 1;
        var marks = events.Where(e => e.Date >= dates[0] && e.Date <= dates[^1].AddDays(stepDays)).Select(e => (ChartStyle.X(e.Date), e.Label)).ToList();
        var plots = new List<Plot>();
        for (int t = 0; t < n; t++)
        {
            var plot = ChartStyle.NewPlot();
            foreach (var s in perTier[t])
            {
                if (s.Low is null || s.High is null) continue;
                var band = plot.Add.FillY(xs, s.High, s.Low);
                band.FillColor = s.Color.WithAlpha(0.22);
                band.LineWidth = 0;
            }
            foreach (var s in perTier[t])
            {
                var line = plot.Add.ScatterLine(xs, s.Mean, s.Color);
                line.LineWidth = ChartStyle.LineWidth;
                line.MarkerSize = 0;
            }
            var zero = plot.Add.HorizontalLine(0);
            zero.Color = Colors.Black.WithAlpha(0.6);
            zero.LineWidth = 1;
            ChartStyle.DateAxis(plot, xs, stepDays, 6);
            // Event lines without labels: the all-tier chart above names them.
            ChartStyle.Events(plot, marks, min, max, labels: false, plotPixels: width / cols - 140);
            plot.Title(tierNames[t]);
            plot.Axes.Title.Label.FontSize = ChartStyle.PanelTitleSize;
            if (t % cols == 0) plot.YLabel(yLabel);
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
        // One legend for every panel: a coloured bar and the platform's name, centred under the title.
        var legend = perTier.Count > 0 ? perTier[0] : [];
        using (var font = new SKFont(ChartFonts.Regular, 22))
        {
            float total = legend.Sum(s => 50 + font.MeasureText(s.Name) + 30);
            float x = (width - total) / 2;
            foreach (var s in legend)
            {
                using var paint = new SKPaint { Color = new SKColor(s.Color.R, s.Color.G, s.Color.B), IsAntialias = true };
                surface.Canvas.DrawRect(x, 88, 40, 6, paint);
                using var text = new SKPaint { Color = new SKColor(0x20, 0x20, 0x20), IsAntialias = true };
                surface.Canvas.DrawText(s.Name, x + 50, 98, SKTextAlign.Left, font, text);
                x += 50 + font.MeasureText(s.Name) + 30;
            }
        }
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

    /// <summary>
    /// A diverging heat map of values (blue = scenario below baseline, red = above), each cell labelled;
    /// <paramref name="rows"/> label rows from the top.
    /// </summary>
    public static byte[] DivergingHeatmap(string title, double[,] values, string[,] labels, IReadOnlyList<string> rows,
        IReadOnlyList<string> columns, string xLabel, string yLabel)
    {
        int nr = values.GetLength(0), nc = values.GetLength(1);
        var plot = ChartStyle.NewPlot();
        var heatmap = plot.Add.Heatmap(values);
        var colormap = new ScottPlot.Colormaps.Balance();
        heatmap.Colormap = colormap;
        heatmap.FlipVertically = false; // row 0 at the top (as the Charts library checks for ScottPlot 5.1)
        double max = 0;
        foreach (double v in values) if (double.IsFinite(v)) max = Math.Max(max, Math.Abs(v));
        if (max == 0) max = 1;
        heatmap.ManualRange = new ScottPlot.Range(-max, max);
        ChartStyle.ColorBar(plot, heatmap);
        for (int r = 0; r < nr; r++)
            for (int c = 0; c < nc; c++)
            {
                var text = plot.Add.Text(labels[r, c], c, nr - 1 - r);
                text.LabelStyle.FontName = ChartFonts.Family;
                text.LabelStyle.FontSize = nc <= 8 && nr <= 8 ? ChartStyle.CellLabelSize : ChartStyle.TickSize;
                text.LabelStyle.Alignment = Alignment.MiddleCenter;
                Color cell = colormap.GetColor((values[r, c] + max) / (2 * max));
                text.LabelStyle.ForeColor = cell.Luminance > 0.5 ? Colors.Black : Colors.White;
            }
        var xTicks = new NumericManual();
        var yTicks = new NumericManual();
        for (int c = 0; c < nc; c++) xTicks.AddMajor(c, columns[c]);
        for (int r = 0; r < nr; r++) yTicks.AddMajor(nr - 1 - r, rows[r]);
        plot.Axes.Bottom.TickGenerator = xTicks;
        plot.Axes.Left.TickGenerator = yTicks;
        plot.Axes.Bottom.TickLabelStyle.FontSize = ChartStyle.CategoryTickSize;
        plot.Axes.Left.TickLabelStyle.FontSize = ChartStyle.CategoryTickSize;
        plot.Axes.SetLimits(-0.5, nc - 0.5, -0.5, nr - 0.5);
        plot.Grid.IsVisible = false;
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot.GetImageBytes(ChartStyle.Width, ChartStyle.Height, ImageFormat.Png);
    }
}
