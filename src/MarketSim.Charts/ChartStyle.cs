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
    /// <summary>Value labels inside heat-map cells.</summary>
    public const float CellLabelSize = 20;
    /// <summary>Category tick labels (platform and tier names on heat maps).</summary>
    public const float CategoryTickSize = 18;
    /// <summary>Labels of event markers.</summary>
    public const float EventLabelSize = 15;

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

    /// <summary>
    /// One colour per tier from dark (tier 1) to light (the last tier) along viridis, stopping short of its pale yellow
    /// end, which is unreadable on white.
    /// </summary>
    public static Color[] TierColors(int tiers)
    {
        var map = new ScottPlot.Colormaps.Viridis();
        return Enumerable.Range(0, tiers).Select(t => map.GetColor(tiers <= 1 ? 0 : 0.85 * t / (tiers - 1))).ToArray();
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

    /// <summary>Legend below the data area in one horizontal row: it never covers a line and costs a strip, not a third of the width.</summary>
    public static void LegendBelow(Plot plot)
    {
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.FontName = ChartFonts.Family;
        plot.Legend.FontSize = LegendSize;
        plot.Legend.SetBestFontOnEachRender = false;
    }

    /// <summary>The x coordinate of a date (OLE Automation days, as ScottPlot's date axes use).</summary>
    public static double X(DateOnly d) => d.ToDateTime(TimeOnly.MinValue).ToOADate();

    /// <summary>
    /// Marks dated events with dashed vertical lines and labels them above the data, each label on the first of up to
    /// four rows where it does not run into the previous label (widths estimated from the font size and
    /// <paramref name="plotPixels"/>, the data area's width), and sets the y limits to fit [min, max] and the labels.
    /// With a <paramref name="ceiling"/> (100 for shares in percent) the y axis is labelled only up to it: the room
    /// above holds the event labels, and a share axis reading 120 or 130 % would be nonsense.
    /// </summary>
    public static void Events(Plot plot, IReadOnlyList<(double X, string Label)> events, double min, double max, bool labels = true,
        double plotPixels = Width - 160, double? ceiling = null)
    {
        double range = max - min;
        if (!(range > 0)) range = 1;
        var limits = plot.Axes.GetLimits();
        double left = limits.Left, right = limits.Right;
        double unitsPerPixel = right > left ? (right - left) / plotPixels : 1;
        const int maxRows = 4;
        var rowEnds = Enumerable.Repeat(double.NegativeInfinity, maxRows).ToArray();
        var placed = new List<(double X, double Anchor, string Label, int Row, bool Late)>();
        foreach (var (x, label) in events.OrderBy(e => e.X))
        {
            double width = (label.Length * EventLabelSize * 0.6 + 14) * unitsPerPixel;
            bool late = x + width > right;
            // A label too long for either side of its line starts at the plot's left edge instead of running off it.
            double anchor = late && x - width < left ? left + 4 * unitsPerPixel : x;
            if (anchor != x) late = false;
            double start = late ? x - width : anchor, end = late ? x : anchor + width;
            int row = Array.FindIndex(rowEnds, e => e < start);
            if (row < 0) row = Array.IndexOf(rowEnds, rowEnds.Min());
            rowEnds[row] = end;
            placed.Add((x, anchor, label, row, late));
        }
        int labelRows = labels && placed.Count > 0 ? placed.Max(p => p.Row) + 1 : 0;
        double top = max + range * (0.04 + 0.08 * labelRows);
        // A zero-based chart keeps its zero on the axis; a difference chart gets room below its lowest band.
        double bottom = min == 0 ? 0 : min - range * 0.05;
        plot.Axes.SetLimitsY(bottom, top);
        if (ceiling is { } cap && top > cap) plot.Axes.Left.TickGenerator = TicksUpTo(bottom, cap);
        foreach (var (x, anchor, label, row, late) in placed)
        {
            var line = plot.Add.VerticalLine(x);
            line.Color = new Color(0x55, 0x55, 0x55);
            line.LinePattern = LinePattern.Dashed;
            line.LineWidth = 1.5f;
            line.ExcludeFromLegend = true;
            if (!labels) continue;
            double y = max + range * (0.02 + 0.08 * (labelRows - 1 - row));
            var text = plot.Add.Text(label, anchor, y);
            text.LabelStyle.FontName = ChartFonts.Family;
            text.LabelStyle.FontSize = EventLabelSize;
            text.LabelStyle.ForeColor = new Color(0x33, 0x33, 0x33);
            text.LabelStyle.BackgroundColor = Colors.White.WithAlpha(0.85);
            text.LabelStyle.Padding = 3;
            // Labels of late events grow to the left so they stay inside the plot.
            text.LabelStyle.Alignment = late ? Alignment.LowerRight : Alignment.LowerLeft;
            text.OffsetX = late ? -4 : anchor == x ? 4 : 0;
        }
    }

    /// <summary>Round ticks from <paramref name="low"/> up to <paramref name="high"/> and no further (at most 8).</summary>
    public static ScottPlot.TickGenerators.NumericManual TicksUpTo(double low, double high)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        double span = Math.Max(high - low, 1e-9);
        double step = new[] { 1, 2, 2.5, 5 }.SelectMany(m => Enumerable.Range(-6, 14).Select(e => m * Math.Pow(10, e)))
            .Order().First(s => span / s <= 7);
        for (double v = Math.Ceiling(low / step) * step; v <= high + step * 1e-9; v += step)
            ticks.AddMajor(v, Math.Round(v, 6).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture));
        return ticks;
    }

    /// <summary>
    /// Sorts dated events and joins those closer than <paramref name="mergeDays"/> to the first of their group into one
    /// marker ("A; B"), so close lines and labels do not pile up.
    /// </summary>
    public static IReadOnlyList<(DateOnly Date, string Label)> MergeEvents(IEnumerable<(DateOnly Date, string Label)> events, int mergeDays = 21)
    {
        var merged = new List<(DateOnly Date, string Label)>();
        foreach (var e in events.OrderBy(e => e.Date))
        {
            if (merged.Count > 0 && e.Date.DayNumber - merged[^1].Date.DayNumber < mergeDays)
            {
                if (!merged[^1].Label.Contains(e.Label, StringComparison.Ordinal)) merged[^1] = (merged[^1].Date, $"{merged[^1].Label}; {e.Label}");
                continue;
            }
            merged.Add(e);
        }
        return merged;
    }

    /// <summary>
    /// A colour bar on the right with ticks only: its title would overlap the tick labels at slide sizes, so the unit
    /// belongs in the chart title and the cells carry their values.
    /// </summary>
    public static void ColorBar(Plot plot, IHasColorAxis source)
    {
        var bar = plot.Add.ColorBar(source, Edge.Right);
        bar.Axis.TickLabelStyle.FontName = ChartFonts.Family;
        bar.Axis.TickLabelStyle.FontSize = TickSize;
        // The automatic generator packs a label every few pixels on a 900-pixel bar; a handful is plenty.
        bar.Axis.TickGenerator = new NumericAutomatic { MaxTickCount = 8, MinimumTickSpacing = 60 };
        // Room for the widest tick label ("−1.5", "−250"): the panel's own measure left negative labels cut off at the
        // figure's right edge.
        bar.MinimumSize = 110;
    }
}
