using MarketSim.Charts;
using MarketSim.Compare;

namespace MarketSim.Studio;

/// <summary>One chart of the answer: its caption and the SVG drawn by the server.</summary>
internal sealed record ChartSvg(string Title, string Svg);

/// <summary>One row of the by-tier table: a tier (or all tiers) and, per platform, the formatted differences.</summary>
internal sealed record TierRow(string Tier, IReadOnlyList<string> Users, IReadOnlyList<string> Gmv, IReadOnlyList<string> Supplied);

/// <summary>What the page shows after a what-if.</summary>
internal sealed record AnswerView(string Scenario, string Baseline, long Agents, int Replications, double Seconds, double SimulateSeconds, bool BaselineCached,
    int StartsReused, string? FirstDifference, string FinalDate, string TotalsPeriod, IReadOnlyList<string> Platforms,
    IReadOnlyList<ChartSvg> Charts, IReadOnlyList<TierRow> Tiers, string Legend, IReadOnlyList<string> Headline);

/// <summary>
/// The answer drawn for the page with the compare report's pieces: its difference chart (as SVG: the same plot the
/// report renders as PNG), its number formats and its "n.s." marks.
/// </summary>
internal static class StudioView
{
    /// <summary>Chart width and height in SVG units (the report's PNG size; the page scales it to fit).</summary>
    public const int Width = 1600, Height = 760;

    /// <summary>Builds the view of an answer; charts show tier <paramref name="tier"/> (-1 or out of range: all tiers).</summary>
    public static AnswerView Of(WhatIfAnswer a, int tier)
    {
        var t = a.Table;
        var dims = t.Dimensions;
        int P = dims.Platforms, T = dims.Tiers, last = t.Dates.Length - 1;
        int shown = tier >= 0 && tier < T ? tier : t.AllTiers;
        string where = shown == t.AllTiers ? "all tiers" : dims.TierNames[shown];
        var colors = ChartStyle.PlatformColors(dims.PlatformColors, P);
        var changes = ScenarioChanges.Between(a.Plan.Scenario, a.Plan.Baseline);
        var events = changes.Events(id => dims.PlatformIds.ToList().IndexOf(id) is int i and >= 0 ? dims.PlatformNames[i] : id);
        bool intervals = t.Replications > 1;

        ChartSvg Chart(CompareMetric metric, string what)
        {
            var rows = Enumerable.Range(0, t.Dates.Length).SelectMany(k => Enumerable.Range(0, P).Select(p => t.Row(k, metric, shown, p))).ToList();
            bool yuan = metric.IsYuan;
            var magnitudes = rows.SelectMany(r => new[] { t.MeanDifference[r], t.CiLow[r] ?? 0, t.CiHigh[r] ?? 0 });
            var (scale, unit) = yuan ? YuanScale(magnitudes) : PeopleScale(magnitudes);
            var series = Enumerable.Range(0, P).Select(p =>
            {
                var mean = new double[t.Dates.Length];
                var low = intervals ? new double[t.Dates.Length] : null;
                var high = intervals ? new double[t.Dates.Length] : null;
                for (int k = 0; k < t.Dates.Length; k++)
                {
                    int row = t.Row(k, metric, shown, p);
                    mean[k] = t.MeanDifference[row] / scale;
                    if (low is not null) low[k] = t.CiLow[row]!.Value / scale;
                    if (high is not null) high[k] = t.CiHigh[row]!.Value / scale;
                }
                return new CompareCharts.Series(dims.PlatformNames[p], colors[p], mean, low, high);
            }).ToList();
            string title = $"{what}, {where}: scenario − baseline";
            var plot = CompareCharts.DifferencesPlot(title, $"Difference ({unit})", t.Dates, dims.StepDays, series, events);
            return new ChartSvg(title + (intervals ? " (band = 95 % interval across replications)" : ""), Scalable(plot.GetSvgXml(Width, Height)));
        }

        var charts = new List<ChartSvg>
        {
            Chart(CompareMetric.AnnualActive, "Annual-active users"),
            Chart(CompareMetric.Gmv, "GMV per step"),
            Chart(CompareMetric.SuppliedGmv, "Supplied GMV per step"),
        };

        // Totals since the first difference: the compare report's period for "what the change has done so far".
        var totals = a.Totals;
        int period = totals.Periods.Count - 1;
        bool since = totals.Periods.Count > 0 && totals.Periods[^1].Id == TotalPeriod.SinceFirstDifference;
        string totalsPeriod = since ? $"{totals.Periods[period].Start:yyyy-MM-dd} to {totals.Periods[period].End:yyyy-MM-dd}" : "no difference";
        var tiers = new List<TierRow>();
        for (int ti = 0; ti <= T; ti++)
        {
            string name = ti == T ? "All tiers" : dims.TierNames[ti];
            var users = Enumerable.Range(0, P).Select(p =>
            {
                int row = t.Row(last, CompareMetric.AnnualActive, ti, p);
                return ReportFormat.Mark(ReportFormat.People(t.MeanDifference[row]), t.Significant[row]);
            }).ToList();
            List<string> Total(CompareMetric m) => Enumerable.Range(0, P).Select(p =>
            {
                if (!since) return "0";
                int row = totals.Row(period, m, ti, p);
                return ReportFormat.Mark(ReportFormat.Yuan(totals.MeanDifference[row]), totals.Significant[row]);
            }).ToList();
            tiers.Add(new TierRow(name, users, Total(CompareMetric.Gmv), Total(CompareMetric.SuppliedGmv)));
        }

        var headline = new List<string>();
        for (int p = 0; p < P; p++)
        {
            int row = t.Row(last, CompareMetric.AnnualActive, t.AllTiers, p);
            string interval = t.CiLow[row] is { } lo && t.CiHigh[row] is { } hi ? $" (95 % interval {ReportFormat.Range(lo, hi, yuan: false)})" : "";
            headline.Add($"{dims.PlatformNames[p]}: {ReportFormat.Mark(ReportFormat.People(t.MeanDifference[row]), t.Significant[row])}{interval}");
        }
        string legend = ReportFormat.MarkLegend(intervals);
        return new AnswerView(a.Plan.Scenario.DisplayName(), a.Plan.Baseline.DisplayName(), a.Plan.Agents, a.Plan.Replications, a.Seconds, a.Runs.Seconds,
            a.BaselineCached, a.StartsReused, t.FirstDifferentStep is { } s ? t.Dates[s].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
            t.Dates[last].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), totalsPeriod, dims.PlatformNames.ToList(),
            charts, tiers, legend, headline);
    }

    /// <summary>The SVG without its XML declaration and with a view box, so the page can scale it to its column.</summary>
    internal static string Scalable(string svg)
    {
        int open = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (open < 0) return svg;
        svg = svg[open..];
        string box = $" viewBox=\"0 0 {Width} {Height}\" preserveAspectRatio=\"xMidYMid meet\"";
        return svg.Insert("<svg".Length, box);
    }

    private static (double Scale, string Unit) PeopleScale(IEnumerable<double> values)
    {
        var (scale, unit, _) = ReportFormat.PeopleScale(values);
        return (scale, unit);
    }

    private static (double Scale, string Unit) YuanScale(IEnumerable<double> values)
    {
        double max = values.Select(Math.Abs).DefaultIfEmpty(0).Max();
        return max >= 1e9 ? (1e9, "billion yuan") : max >= 1e6 ? (1e6, "million yuan") : max >= 1e3 ? (1e3, "thousand yuan") : (1, "yuan");
    }
}
