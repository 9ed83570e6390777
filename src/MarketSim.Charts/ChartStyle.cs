using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace MarketSim.Charts;

/// <summary>
/// Sizes, fonts and axes shared by every chart, so a deck built from several runs looks like one deck:
/// slide-sized images, the same type sizes, the same platform colours and month-aligned date ticks.
/// </summary>
public static class ChartStyle
{
    /// <summary>Chart width in pixels: a 16:9 slide.</summary>
    public const int Width = 1600;
    /// <summary>Chart height in pixels.</summary>
    public const int Height = 900;
    /// <summary>Title size in points.</summary>
    public const float TitleSize = 26;
    /// <summary>Title size of a small-multiple panel.</summary>
    public const float PanelTitleSize = 20;
    /// <summary>Axis label size.</summary>
    public const float AxisLabelSize = 19;
    /// <summary>Tick label size.</summary>
    public const float TickSize = 15;
    /// <summary>Legend text size.</summary>
    public const float LegendSize = 18;
    /// <summary>Line width of data series.</summary>
    public const float LineWidth = 2.5f;

    /// <summary>Used when a scenario colour is missing or unreadable, so a bad colour string costs a colour, not the chart.</summary>
    private static readonly Color[] Fallback = new ScottPlot.Palettes.Category10().Colors;

    /// <summary>One colour per platform, taken from the scenario so every chart of a run agrees.</summary>
    public static Color[] PlatformColors(IReadOnlyList<string>? hex, int platforms)
    {
        var colors = new Color[platforms];
        for (int p = 0; p < platforms; p++)
        {
            colors[p] = Fallback[p % Fallback.Length];
            string? text = hex is not null && p < hex.Count ? hex[p] : null;
            if (TryParseHex(text, out Color parsed)) colors[p] = parsed;
        }
        return colors;
    }

    private static bool TryParseHex(string? text, out Color color)
    {
        color = default;
        if (text is null) return false;
        string digits = text.Trim().TrimStart('#');
        if (digits.Length != 6 || !uint.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint rgb))
            return false;
        color = new Color((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
        return true;
    }

    /// <summary>
    /// Names for tight spots (heat-map ticks, panel titles): the part before a parenthetical, so
    /// "Other (Suning, Vipshop, …)" does not run into its neighbours.
    /// </summary>
    public static string ShortName(string name)
    {
        int paren = name.IndexOf(" (", StringComparison.Ordinal);
        return paren > 0 ? name[..paren] : name;
    }

    /// <summary>A plot with the shared font and sizes applied to every text element it has.</summary>
    public static Plot NewPlot()
    {
        ChartFonts.EnsureRegistered();
        var plot = new Plot();
        // Not plot.Font.Set: in ScottPlot 5.1 it pins the regular face on every label (titles lose bold), stores it in
        // a process-wide default and disposes the cached typeface it looked up. Naming the family is enough.
        plot.Axes.Title.Label.FontName = ChartFonts.Family;
        plot.Axes.Title.Label.FontSize = TitleSize;
        plot.Axes.Title.Label.Bold = true;
        foreach (IAxis axis in plot.Axes.GetAxes())
        {
            axis.Label.FontName = ChartFonts.Family;
            axis.Label.FontSize = AxisLabelSize;
            axis.Label.Bold = false;
            axis.TickLabelStyle.FontName = ChartFonts.Family;
            axis.TickLabelStyle.FontSize = TickSize;
        }
        plot.Legend.FontName = ChartFonts.Family;
        plot.Legend.FontSize = LegendSize;
        plot.Legend.SetBestFontOnEachRender = false;
        return plot;
    }

    /// <summary>
    /// Month-aligned ticks labelled "Jan 2020", at an interval that keeps about <paramref name="maxTicks"/> labels:
    /// ScottPlot's automatic date ticks pick day-level spacing and long labels that collide at slide sizes.
    /// </summary>
    public static void DateAxis(Plot plot, double[] xs, int stepDays, int maxTicks)
    {
        DateTime first = DateTime.FromOADate(xs[0]);
        DateTime last = DateTime.FromOADate(xs[^1]);
        double pad = Math.Max(1, stepDays) * 0.5;
        double left = xs[0] - pad, right = xs[^1] + pad;

        int months = (last.Year - first.Year) * 12 + last.Month - first.Month + 1;
        int[] intervals = [1, 2, 3, 6, 12, 24, 60, 120];
        int interval = intervals.FirstOrDefault(i => months / i <= maxTicks, intervals[^1]);

        var ticks = new NumericManual();
        var monthStart = new DateTime(first.Year, first.Month, 1);
        int majors = 0;
        for (DateTime d = monthStart; d <= last.AddDays(pad); d = d.AddMonths(1))
        {
            double x = d.ToOADate();
            if (x < left || x > right) continue;
            int index = d.Year * 12 + d.Month - 1;
            if (index % interval == 0)
            {
                string label = interval >= 12
                    ? d.ToString("yyyy", CultureInfo.InvariantCulture)
                    : d.ToString("MMM yyyy", CultureInfo.InvariantCulture);
                ticks.AddMajor(x, label);
                majors++;
            }
            else if (interval <= 12)
            {
                ticks.AddMinor(x);
            }
        }
        if (majors == 0)
        {
            // A run shorter than a month: label its own start and end instead of leaving the axis bare.
            ticks.AddMajor(xs[0], first.ToString("d MMM yyyy", CultureInfo.InvariantCulture));
            if (xs[^1] > xs[0]) ticks.AddMajor(xs[^1], last.ToString("d MMM yyyy", CultureInfo.InvariantCulture));
        }
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(left, right);
    }

    /// <summary>Y limits from zero to a little above the largest finite value (1 when all are zero).</summary>
    public static void ZeroBasedY(Plot plot, IEnumerable<double[]> series, double headroom = 1.08)
    {
        double max = 0;
        foreach (double[] s in series)
            foreach (double v in s)
                if (double.IsFinite(v) && v > max) max = v;
        plot.Axes.SetLimitsY(0, max > 0 ? max * headroom : 1);
    }

    /// <summary>Adds one line per platform in its colour, named for the legend.</summary>
    public static void Lines(Plot plot, double[] xs, double[][] series, IReadOnlyList<string> names, Color[] colors, bool legend = true)
    {
        for (int p = 0; p < series.Length; p++)
        {
            var line = plot.Add.ScatterLine(xs, series[p], colors[p]);
            line.LineWidth = LineWidth;
            line.MarkerSize = xs.Length == 1 ? 8 : 0;
            if (legend) line.LegendText = p < names.Count ? names[p] : $"Platform {p}";
        }
    }

    /// <summary>Legend outside the data area, on the right, so it never covers a line.</summary>
    public static void LegendRight(Plot plot)
    {
        plot.ShowLegend(Edge.Right);
        plot.Legend.FontName = ChartFonts.Family;
        plot.Legend.FontSize = LegendSize;
        plot.Legend.SetBestFontOnEachRender = false;
    }
}
