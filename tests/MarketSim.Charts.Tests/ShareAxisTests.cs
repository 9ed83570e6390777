using MarketSim.Charts;
using ScottPlot;

namespace MarketSim.Tests;

/// <summary>
/// Issue 29, item 4: share charts with event labels ran their axis to 125–130 % (the labels' room above the data was
/// labelled like data). With a ceiling the axis is labelled only up to 100, the labels keep their room above.
/// </summary>
public class ShareAxisTests
{
    [Fact]
    public void Events_WithACeilingOf100_LabelsNoTickAbove100_ButKeepsRoomForTheLabels()
    {
        var plot = ChartStyle.NewPlot();
        double[] xs = [.. Enumerable.Range(0, 100).Select(i => ChartStyle.X(new DateOnly(2019, 1, 7).AddDays(7 * i)))];
        plot.Add.ScatterLine(xs, xs.Select((_, i) => 90.0 + i % 5).ToArray());
        plot.Axes.SetLimitsX(xs[0], xs[^1]);
        var events = new[] { (xs[30], "JD.com–Kuaishou alliance starts"), (xs[31], "618 co-promotion"), (xs[32], "Kuaishou 616 co-promotion") };
        ChartStyle.Events(plot, events, 0, 100, ceiling: 100);

        Assert.True(plot.Axes.GetLimits().Top > 100, "no room left above the data for the event labels");
        plot.GetImageBytes(ChartStyle.Width, ChartStyle.Height, ImageFormat.Png);   // ticks are generated when drawn
        var ticks = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Position).ToList();
        Assert.NotEmpty(ticks);
        Assert.All(ticks, t => Assert.InRange(t, 0, 100));
        Assert.Contains(100, ticks);

        // Without a ceiling (a count, not a share) the axis is left to ScottPlot.
        var counts = ChartStyle.NewPlot();
        ChartStyle.Events(counts, events, 0, 100);
        Assert.IsNotType<ScottPlot.TickGenerators.NumericManual>(counts.Axes.Left.TickGenerator);
    }

    [Theory]
    [InlineData(0, 100, 0, 100)]
    [InlineData(-3.2, 7.9, -2, 7.9)]
    public void TicksUpTo_StaysInsideTheRange(double low, double high, double first, double last)
    {
        var plot = ChartStyle.NewPlot();
        plot.Axes.SetLimitsY(low, high + 30);
        plot.Axes.Left.TickGenerator = ChartStyle.TicksUpTo(low, high);
        plot.GetImageBytes(800, 600, ImageFormat.Png);
        var ticks = plot.Axes.Left.TickGenerator.Ticks.Select(t => t.Position).ToList();
        Assert.True(ticks.Count is >= 2 and <= 8, $"{ticks.Count} ticks");
        Assert.True(ticks[0] >= first - 1e-9 && ticks[^1] <= last + 1e-9, string.Join(", ", ticks));
    }
}
