using ScottPlot;
using SkiaSharp;

namespace MarketSim.Charts;

/// <summary>
/// A grid of line panels under one title and one legend. ScottPlot's multiplot has neither a figure title nor a
/// shared legend, and a legend inside each panel would cover data, so the header is drawn on the canvas directly.
/// </summary>
internal static class SmallMultiples
{
    /// <summary>One panel: its series share the x values and the platform colours.</summary>
    /// <param name="Title">Panel title.</param>
    /// <param name="Series">[platform][step] values.</param>
    /// <param name="Colors">Colour per series.</param>
    /// <param name="YLabel">Y axis label, when it differs from the figure's.</param>
    /// <param name="Percent">Whether values are percentages (the y range is then capped at 100).</param>
    /// <param name="Skip">Index of a series not to draw, or -1.</param>
    /// <param name="Show">Which series to draw (all when null).</param>
    public sealed record Panel(string Title, double[][] Series, Color[] Colors, string? YLabel = null, bool Percent = true, int Skip = -1,
        bool[]? Show = null)
    {
        /// <summary>Whether series <paramref name="s"/> is drawn.</summary>
        public bool Draws(int s) => s != Skip && (Show is null || (s < Show.Length && Show[s]));
    }

    private const int Width = 2400;
    /// <summary>Figure height: 16:9 like the single charts, whatever the number of rows.</summary>
    private const int Height = 1350;
    private const float Margin = 30;

    public static byte[] Render(
        string title, string subtitle, string yLabel, double[] xs, int stepDays,
        IReadOnlyList<Panel> panels, IReadOnlyList<string> names, Color[] colors, bool sharedY, ChartMarks? marks = null)
    {
        ChartFonts.EnsureRegistered();
        int n = panels.Count;
        int cols = n <= 1 ? 1 : n <= 4 ? 2 : n <= 6 ? 3 : 4;
        int rows = (n + cols - 1) / cols;

        using var titleFont = new SKFont(ChartFonts.Bold, 30);
        using var textFont = new SKFont(ChartFonts.Regular, 19);
        using var legendFont = new SKFont(ChartFonts.Regular, 20);
        float contentWidth = Width - 2 * Margin;
        var subtitleLines = Wrap(subtitle, textFont, contentWidth);
        var legendRows = LegendRows(names, legendFont, contentWidth);

        float y = Margin + 30;
        float titleBaseline = y;
        y += 14 + subtitleLines.Count * 26;
        float subtitleTop = titleBaseline + 14;
        float legendTop = y + 8;
        y = legendTop + legendRows.Count * 32 + 8;
        int headerHeight = (int)Math.Ceiling(y);
        int panelHeight = Math.Max(360, (Height - headerHeight) / rows);
        int height = headerHeight + rows * panelHeight;

        double sharedMax = 0;
        if (sharedY)
            foreach (var panel in panels)
                sharedMax = Math.Max(sharedMax, MaxOf(panel));

        var plots = new List<Plot>(n);
        foreach (var panel in panels)
        {
            var plot = ChartStyle.NewPlot();
            marks?.DrawWarmUp(plot);
            for (int s = 0; s < panel.Series.Length; s++)
            {
                if (!panel.Draws(s)) continue;
                var line = plot.Add.ScatterLine(xs, panel.Series[s], panel.Colors[s]);
                line.LineWidth = ChartStyle.LineWidth;
                line.MarkerSize = xs.Length == 1 ? 8 : 0;
            }
            ChartStyle.DateAxis(plot, xs, stepDays, cols <= 2 ? 10 : 6);
            double max = sharedY ? sharedMax : MaxOf(panel);
            double top = max > 0 ? max * 1.04 : 1;
            if (panel.Percent) top = Math.Min(top, 100);
            if (marks is null) plot.Axes.SetLimitsY(0, top * 1.04);
            else marks.DrawEvents(plot, 0, top, labels: n <= 2 || plots.Count == 0, plotPixels: Width / cols - 130, ceiling: panel.Percent ? 100 : null);
            plot.Title(panel.Title);
            plot.Axes.Title.Label.FontSize = ChartStyle.PanelTitleSize;
            plot.YLabel(panel.YLabel ?? yLabel);
            plot.Axes.Left.Label.FontSize = 17;
            // Fixed margins keep the data areas aligned across panels whatever their tick labels.
            plot.Layout.Fixed(new PixelPadding(left: 90, right: 30, bottom: 50, top: 50));
            plots.Add(plot);
        }

        var multiplot = new Multiplot(plots[0]);
        for (int i = 1; i < plots.Count; i++) multiplot.AddPlot(plots[i]);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, cols);

        var info = new SKImageInfo(Width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info)
            ?? throw new InvalidOperationException($"SkiaSharp could not create a {Width}×{height} surface.");
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);

        using (var ink = new SKPaint { Color = new SKColor(0x20, 0x20, 0x20), IsAntialias = true })
        {
            canvas.DrawText(title, Width / 2f, titleBaseline, SKTextAlign.Center, titleFont, ink);
            ink.Color = new SKColor(0x40, 0x40, 0x40);
            for (int i = 0; i < subtitleLines.Count; i++)
                canvas.DrawText(subtitleLines[i], Width / 2f, subtitleTop + 20 + i * 26, SKTextAlign.Center, textFont, ink);
            DrawLegend(canvas, legendRows, names, colors, legendFont, legendTop);
        }

        // Rendered on its own surface and then placed: the multiplot paints its whole canvas, header included.
        int gridHeight = rows * panelHeight;
        using (var gridSurface = SKSurface.Create(new SKImageInfo(Width, gridHeight, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not create a {Width}×{gridHeight} surface."))
        {
            gridSurface.Canvas.Clear(SKColors.White);
            multiplot.Render(gridSurface.Canvas, new PixelRect(left: 0, right: Width, bottom: gridHeight, top: 0));
            using SKImage grid = gridSurface.Snapshot();
            canvas.DrawImage(grid, 0, headerHeight);
        }

        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static double MaxOf(Panel panel)
    {
        double max = 0;
        for (int s = 0; s < panel.Series.Length; s++)
        {
            if (!panel.Draws(s)) continue;
            foreach (double v in panel.Series[s])
                if (double.IsFinite(v) && v > max) max = v;
        }
        return max;
    }

    private const float Swatch = 36, SwatchGap = 10, ItemGap = 40;

    /// <summary>Indices of the legend items on each row, wrapping so no row is wider than the figure.</summary>
    private static List<List<int>> LegendRows(IReadOnlyList<string> names, SKFont font, float width)
    {
        var rows = new List<List<int>> { new() };
        float used = 0;
        for (int i = 0; i < names.Count; i++)
        {
            float item = Swatch + SwatchGap + font.MeasureText(names[i]);
            if (rows[^1].Count > 0 && used + ItemGap + item > width)
            {
                rows.Add([]);
                used = 0;
            }
            used += (rows[^1].Count > 0 ? ItemGap : 0) + item;
            rows[^1].Add(i);
        }
        return rows;
    }

    private static void DrawLegend(SKCanvas canvas, List<List<int>> rows, IReadOnlyList<string> names, Color[] colors, SKFont font, float top)
    {
        using var text = new SKPaint { Color = new SKColor(0x20, 0x20, 0x20), IsAntialias = true };
        using var stroke = new SKPaint { StrokeWidth = 5, IsAntialias = true, Style = SKPaintStyle.Stroke };
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            float rowWidth = row.Sum(i => Swatch + SwatchGap + font.MeasureText(names[i])) + ItemGap * (row.Count - 1);
            float x = (Width - rowWidth) / 2;
            float mid = top + r * 32 + 16;
            foreach (int i in row)
            {
                stroke.Color = colors[i].ToSKColor();
                canvas.DrawLine(x, mid, x + Swatch, mid, stroke);
                x += Swatch + SwatchGap;
                canvas.DrawText(names[i], x, mid + 7, SKTextAlign.Left, font, text);
                x += font.MeasureText(names[i]) + ItemGap;
            }
        }
    }

    /// <summary>Greedy word wrap, because SkiaSharp draws one line per call.</summary>
    private static List<string> Wrap(string text, SKFont font, float width)
    {
        var lines = new List<string>();
        foreach (string paragraph in text.Split('\n'))
        {
            string line = "";
            foreach (string word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = line.Length == 0 ? word : line + " " + word;
                if (line.Length > 0 && font.MeasureText(candidate) > width)
                {
                    lines.Add(line);
                    line = word;
                }
                else
                {
                    line = candidate;
                }
            }
            lines.Add(line);
        }
        return lines;
    }
}
