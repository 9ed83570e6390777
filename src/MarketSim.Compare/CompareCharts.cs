using MarketSim.Charts;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace MarketSim.Compare;

/// <summary>One chart of a report: file name, what it shows (alt text) and the PNG.</summary>
/// <param name="FileName">PNG file name in the comparison folder.</param>
/// <param name="Title">Caption and alt text.</param>
/// <param name="Png">Image bytes.</param>
public sealed record ChartImage(string FileName, string Title, byte[] Png);

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
