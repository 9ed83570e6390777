using MarketSim.Charts;
using System.Globalization;
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
    private const int Width = 1600, Height = 900;
    private const float TitleSize = 26, AxisLabelSize = 19, TickSize = 15, LegendSize = 18;

    private static Plot NewPlot() => ChartStyle.NewPlot();

    public static Color ParseColor(string hex, int index)
    {
        var fallback = new ScottPlot.Palettes.Category10().Colors;
        string digits = hex.Trim().TrimStart('#');
        return digits.Length == 6 && uint.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint rgb)
            ? new Color((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb)
            : fallback[index % fallback.Length];
    }

    /// <summary>Lines of mean differences with their 95 % bands (bands omitted with one replication).</summary>
    public static byte[] DifferencesOverTime(string title, string yLabel, DateOnly[] dates, int stepDays,
        IReadOnlyList<(string Name, Color Color, double[] Mean, double[]? Low, double[]? High)> series, DateOnly? start)
    {
        var plot = NewPlot();
        double[] xs = dates.Select(d => d.ToDateTime(TimeOnly.MinValue).ToOADate()).ToArray();
        foreach (var s in series)
        {
            if (s.Low is not null && s.High is not null)
            {
                var band = plot.Add.FillY(xs, s.High, s.Low);
                band.FillColor = s.Color.WithAlpha(0.22);
                band.LineWidth = 0;
            }
        }
        foreach (var s in series)
        {
            var line = plot.Add.ScatterLine(xs, s.Mean, s.Color);
            line.LineWidth = 2.5f;
            line.MarkerSize = 0;
            line.LegendText = s.Name;
        }
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Black.WithAlpha(0.6);
        zero.LineWidth = 1;
        if (start is { } st)
        {
            var v = plot.Add.VerticalLine(st.ToDateTime(TimeOnly.MinValue).ToOADate());
            v.Color = Colors.Gray;
            v.LinePattern = LinePattern.Dashed;
            v.LineWidth = 1.5f;
        }
        ChartStyle.DateAxis(plot, xs, stepDays, 12);
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.ShowLegend(Edge.Right);
        plot.Legend.FontName = ChartFonts.Family;
        plot.Legend.FontSize = LegendSize;
        plot.Legend.SetBestFontOnEachRender = false;
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>
    /// A diverging heat map of values (blue = scenario below baseline, red = above), each cell labelled;
    /// <paramref name="rows"/> label rows from the top.
    /// </summary>
    public static byte[] DivergingHeatmap(string title, double[,] values, string[,] labels, IReadOnlyList<string> rows,
        IReadOnlyList<string> columns, string colorBarLabel, string xLabel, string yLabel)
    {
        int nr = values.GetLength(0), nc = values.GetLength(1);
        var plot = NewPlot();
        var heatmap = plot.Add.Heatmap(values);
        IColormap colormap = new ScottPlot.Colormaps.Balance();
        heatmap.Colormap = colormap;
        heatmap.FlipVertically = false; // row 0 at the top (as the Charts library checks for ScottPlot 5.1)
        double max = 0;
        foreach (double v in values) if (double.IsFinite(v)) max = Math.Max(max, Math.Abs(v));
        if (max == 0) max = 1;
        heatmap.ManualRange = new ScottPlot.Range(-max, max);
        var bar = plot.Add.ColorBar(heatmap, Edge.Right);
        bar.Label = colorBarLabel;
        bar.LabelStyle.FontName = ChartFonts.Family;
        bar.LabelStyle.FontSize = AxisLabelSize;
        bar.Axis.TickLabelStyle.FontName = ChartFonts.Family;
        bar.Axis.TickLabelStyle.FontSize = TickSize;
        bar.Axis.TickGenerator = new NumericAutomatic { MaxTickCount = 12, MinimumTickSpacing = 40 };
        for (int r = 0; r < nr; r++)
            for (int c = 0; c < nc; c++)
            {
                var text = plot.Add.Text(labels[r, c], c, nr - 1 - r);
                text.LabelStyle.FontName = ChartFonts.Family;
                text.LabelStyle.FontSize = nc <= 8 && nr <= 8 ? 18 : 13;
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
        plot.Axes.Bottom.TickLabelStyle.FontSize = 17;
        plot.Axes.Left.TickLabelStyle.FontSize = 17;
        plot.Axes.SetLimits(-0.5, nc - 0.5, -0.5, nr - 0.5);
        plot.Grid.IsVisible = false;
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
