using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace MarketSim.Charts;

/// <summary>The from × to switching matrix, with the value written in each cell so a slide can be read without the colour bar.</summary>
internal static class Heatmaps
{
    public static byte[] Flows(string title, double[,] millions, IReadOnlyList<string> names)
    {
        int p = millions.GetLength(0);
        var plot = ChartStyle.NewPlot();

        var heatmap = plot.Add.Heatmap(millions);
        // Light = few switches. Blues runs dark to light in ScottPlot, hence reversed.
        var colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues());
        heatmap.Colormap = colormap;
        // Unflipped, ScottPlot 5.1 draws row 0 at the top with cell centres on integer coordinates: row r at
        // y = p-1-r, column c at x = c (checked by RenderAll_HeatmapWithOneFlow_ColoursTheMatchingCell).
        heatmap.FlipVertically = false;
        double max = 0;
        foreach (double v in millions) if (double.IsFinite(v) && v > max) max = v;
        heatmap.ManualRange = new ScottPlot.Range(0, max > 0 ? max : 1);

        ChartStyle.ColorBar(plot, heatmap);

        string format = max >= 100 ? "0" : max >= 10 ? "0.0" : max >= 1 ? "0.00" : "0.000";
        for (int from = 0; from < p; from++)
            for (int to = 0; to < p; to++)
            {
                double value = millions[from, to];
                // Small cells get a decimal so that 0.4 million does not read as none; only an exact zero is "0".
                string label = from == to ? "–" : value == 0 ? "0"
                    : value.ToString(Math.Abs(value) < 10 && format == "0" ? "0.0" : format, CultureInfo.InvariantCulture);
                var text = plot.Add.Text(label, to, p - 1 - from);
                text.LabelStyle.FontName = ChartFonts.Family;
                text.LabelStyle.FontSize = p <= 8 ? 22 : 14;
                text.LabelStyle.Alignment = Alignment.MiddleCenter;
                Color cell = colormap.GetColor(max > 0 ? value / max : 0);
                text.LabelStyle.ForeColor = cell.Luminance > 0.5 ? Colors.Black : Colors.White;
            }

        var xTicks = new NumericManual();
        var yTicks = new NumericManual();
        for (int i = 0; i < p; i++)
        {
            string name = i < names.Count ? ChartStyle.ShortName(names[i]) : $"Platform {i + 1}";
            xTicks.AddMajor(i, name);
            yTicks.AddMajor(p - 1 - i, name);
        }
        plot.Axes.Bottom.TickGenerator = xTicks;
        plot.Axes.Left.TickGenerator = yTicks;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 18;
        plot.Axes.Left.TickLabelStyle.FontSize = 18;
        plot.Axes.SetLimits(-0.5, p - 0.5, -0.5, p - 0.5);
        plot.Grid.IsVisible = false;

        plot.Title(title);
        plot.XLabel("To: new primary platform");
        plot.YLabel("From: previous primary platform");
        return plot.GetImageBytes(ChartStyle.Width, ChartStyle.Height, ImageFormat.Png);
    }
}
