using System.Globalization;
using ScottPlot;

namespace MarketSim.Charts;

/// <summary>
/// Dates a run's time charts mark: the scenario's events (alliances, interventions) as labelled dashed lines, the
/// warm-up of the annual-active counts as a shaded span, and the last calibration target, after which the model
/// extrapolates.
/// </summary>
/// <param name="Events">Dated events with short labels, e.g. (27 May 2020, "JD.com–Kuaishou alliance starts").</param>
/// <param name="WarmUpEnd">First day after the warm-up (annual-active users need a year of orders), or null.</param>
/// <param name="LastCalibrationTarget">Date of the scenario's last published target, or null.</param>
public sealed record ChartMarks(IReadOnlyList<(DateOnly Date, string Label)> Events, DateOnly? WarmUpEnd = null, DateOnly? LastCalibrationTarget = null)
{
    /// <summary>No marks.</summary>
    public static ChartMarks None { get; } = new([]);

    /// <summary>Shades the warm-up span (drawn first, so the lines stay on top).</summary>
    internal void DrawWarmUp(Plot plot)
    {
        if (WarmUpEnd is not { } end) return;
        var span = plot.Add.HorizontalSpan(ChartStyle.X(end) - 3660, ChartStyle.X(end));
        span.FillStyle.Color = Colors.Gray.WithAlpha(0.14);
        span.LineStyle.Width = 0;
    }

    /// <summary>Event lines and labels (and the calibration marker), with y limits fitted to [min, max] and the labels.</summary>
    internal void DrawEvents(Plot plot, double min, double max, bool labels = true, double plotPixels = ChartStyle.Width - 160, double? ceiling = null)
    {
        var events = ChartStyle.MergeEvents(Events).Select(e => (ChartStyle.X(e.Date), e.Label)).ToList();
        if (WarmUpEnd is { } w) events.Add((ChartStyle.X(w), "end of warm-up"));
        if (LastCalibrationTarget is { } c)
            events.Add((ChartStyle.X(c), $"last calibration target ({c.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}): beyond it, extrapolation"));
        var limits = plot.Axes.GetLimits();
        var inside = events.Where(e => e.Item1 > limits.Left && e.Item1 < limits.Right).OrderBy(e => e.Item1).ToList();
        ChartStyle.Events(plot, inside, min, max, labels, plotPixels, ceiling);
    }
}
