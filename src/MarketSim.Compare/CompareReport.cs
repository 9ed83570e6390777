using System.Globalization;
using MarketSim.Scenarios;

namespace MarketSim.Compare;

/// <summary>An alliance the scenario has and the baseline does not: what the strategist is asking about.</summary>
/// <param name="Name">Display name.</param>
/// <param name="Start">First day in force.</param>
/// <param name="Members">Member platform ids.</param>
public sealed record AddedAlliance(string Name, DateOnly Start, IReadOnlyList<string> Members)
{
    /// <summary>Alliances of <paramref name="scenario"/> whose id the baseline does not have.</summary>
    public static IReadOnlyList<AddedAlliance> Between(Scenario scenario, Scenario baseline) =>
        scenario.Alliances.Where(a => !baseline.Alliances.ContainsKey(a.Key))
            .Select(a => new AddedAlliance(a.Value.Name.Length > 0 ? a.Value.Name : a.Key, a.Value.Start, a.Value.Members.ToList()))
            .ToList();
}

/// <summary>A headline figure of the report, kept so it can be checked against the data.</summary>
/// <param name="Platform">Platform id.</param>
/// <param name="PlatformName">Platform display name.</param>
/// <param name="Step">Step index.</param>
/// <param name="Date">First day of the step.</param>
/// <param name="Mean">Mean annual-active difference, people (all tiers).</param>
/// <param name="Low">Lower end of the 95 % interval, if any.</param>
/// <param name="High">Upper end, if any.</param>
/// <param name="Text">The figure as the report prints it.</param>
public sealed record HeadlineFigure(string Platform, string PlatformName, int Step, DateOnly Date, double Mean, double? Low, double? High, string Text);

/// <summary>The report's two renderings, its charts and its headline figure.</summary>
/// <param name="Markdown">report.md.</param>
/// <param name="Html">report.html: one file, charts inline.</param>
/// <param name="Charts">The charts (also written as PNG files beside the Markdown).</param>
/// <param name="Headline">The largest significant annual-active difference (all tiers) at the final step (any non-zero one with a single replication), or null when none.</param>
public sealed record CompareReportOutput(string Markdown, string Html, IReadOnlyList<ChartImage> Charts, HeadlineFigure? Headline);

/// <summary>
/// Writes the strategist's answer from a <see cref="ComparisonTable"/>: who gains and loses, in which tiers, from
/// whom, how fast. Every number is computed from the table or the manifest; the wording follows the data.
/// </summary>
public static class CompareReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const string Minus = "\u2212";

    /// <summary>Builds the report.</summary>
    /// <param name="table">Differences.</param>
    /// <param name="manifest">Scenario, baseline, seeds, replications, agents, version.</param>
    /// <param name="alliances">Alliances the scenario adds to the baseline (context and chart selection).</param>
    /// <param name="scenarioFile">Scenario file as the user named it.</param>
    /// <param name="baselineFile">Baseline file as the user named it (or as the scenario extends it).</param>
    /// <param name="charts">Render the PNG charts (tests of the text can skip them).</param>
    /// <param name="attribution">Clause-by-clause attribution (compare --attribute), or null.</param>
    public static CompareReportOutput Build(ComparisonTable table, CompareManifest manifest, IReadOnlyList<AddedAlliance> alliances,
        string scenarioFile, string baselineFile, bool charts = true, Attribution? attribution = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(manifest);
        var ctx = new Context(table, manifest, alliances);
        var doc = new ReportDocument($"What {manifest.ScenarioName} changes compared with {manifest.BaselineName}");
        HeadlineFigure? headline = null;

        int K = ctx.Last;
        if (table.FirstDifferentStep is not { } s0)
        {
            doc.P($"The scenario and the baseline give **identical results at every step** of every replication " +
                  $"({Day(table.Dates[0])} to {Day(table.Dates[K])}): under common random numbers the scenario changes nothing the model measures.");
            RunSection(doc, ctx, scenarioFile, baselineFile);
            return new CompareReportOutput(doc.ToMarkdown(), doc.ToHtml(), [], null);
        }

        var movers = ctx.Movers(K);
        headline = Summary(doc, ctx, s0, movers);
        if (attribution is not null) AttributionReport.AddTo(doc, attribution); // compare --attribute: its own files (Attribution*.cs)
        RunSection(doc, ctx, scenarioFile, baselineFile);
        WhoSection(doc, ctx, movers);
        TierSection(doc, ctx, movers, charts);
        FlowSection(doc, ctx, s0, movers, charts);
        SpeedSection(doc, ctx, s0, movers, charts);
        MethodSection(doc, ctx);
        return new CompareReportOutput(doc.ToMarkdown(), doc.ToHtml(), doc.Charts.ToList(), headline);
    }

    // ---------- sections ----------

    private static HeadlineFigure? Summary(ReportDocument doc, Context ctx, int s0, Movers movers)
    {
        int K = ctx.Last;
        var t = ctx.Table;
        string when = $"By {Day(t.Dates[K])} ({Weeks(ctx, s0, K)} after the runs first differ, in the step starting {Day(t.Dates[s0])})";
        var parts = new List<string>();
        foreach (int p in movers.Gainers.Take(2)) parts.Add($"**{ctx.Name(p)} gains {ctx.PeopleWithInterval(ctx.Aa(K, p))}** annual-active users");
        foreach (int p in movers.Losers.Take(2)) parts.Add($"**{ctx.Name(p)} loses {ctx.PeopleWithInterval(ctx.Aa(K, p), negate: true)}**");
        string lead = parts.Count > 0
            ? $"{when}, {JoinAnd(parts)}, across all tiers."
            : $"{when}, no platform's annual-active users differ significantly from the baseline across all tiers.";
        if (ctx.Alliances.Count > 0)
            lead = $"The scenario adds {JoinAnd(ctx.Alliances.Select(a => $"the {a.Name} ({JoinAnd(a.Members.Select(ctx.NameOf))}) from {Day(a.Start)}"))}. " + lead;
        doc.P(lead);
        if (!ctx.HasIntervals)
            doc.P("With a single replication there is no interval and no test of significance: differences are shown with their sign only. " +
                  "Run with --replications 2 or more to know which of them exceed the model's noise.");

        int top = movers.All.Count > 0 ? movers.All[0] : -1;
        if (top < 0) return null;
        int row = t.Row(K, CompareMetric.AnnualActive, t.AllTiers, top);
        return new HeadlineFigure(t.Dimensions.PlatformIds[top], t.Dimensions.PlatformNames[top], K, t.Dates[K], t.MeanDifference[row], t.CiLow[row], t.CiHigh[row],
            ctx.People(t.MeanDifference[row]));
    }

    private static void RunSection(ReportDocument doc, Context ctx, string scenarioFile, string baselineFile)
    {
        var m = ctx.Manifest;
        var t = ctx.Table;
        doc.H(2, "What was compared");
        doc.Table(["", ""],
        [
            ["Scenario", $"`{m.ScenarioName}` ({scenarioFile}), SHA-256 `{m.ScenarioSha256[..16]}…`"],
            ["Baseline", $"`{m.BaselineName}` ({baselineFile}), SHA-256 `{m.BaselineSha256[..16]}…`"],
            ["Replications", $"{m.Replications.ToString(Inv)}, each running scenario and baseline with the same seed (common random numbers)"],
            ["Seeds", string.Join(", ", m.Seeds.Select(s => s.ToString(Inv)))],
            ["Agents per run", $"{m.Agents.ToString("N0", Inv)} (one agent stands for {m.ScenarioPeoplePerAgent.ToString("N1", Inv)} people)"],
            ["Period", $"{Day(t.Dates[0])} to {Day(t.Dates[ctx.Last])}: {t.Dates.Length.ToString(Inv)} steps of {t.Dimensions.StepDays.ToString(Inv)} days"],
            ["First difference", t.FirstDifferentStep is { } s ? $"step {s.ToString(Inv)}, starting {Day(t.Dates[s])}" : "none"],
            ["Intervals", ctx.HasIntervals
                ? $"{(ComparisonTable.Confidence * 100).ToString("0", Inv)} % Student-t intervals of the mean difference over {m.Replications.ToString(Inv)} replications"
                : "none (one replication)"],
            ["Program version", m.ProgramVersion],
        ]);
    }

    private static void WhoSection(ReportDocument doc, Context ctx, Movers movers)
    {
        int K = ctx.Last;
        var t = ctx.Table;
        doc.H(2, $"Who gains and who loses (all tiers, {Day(t.Dates[K])})");
        var sentences = new List<string>();
        foreach (int p in movers.Gainers.Concat(movers.Losers))
        {
            var aa = ctx.Aa(K, p);
            bool gain = t.MeanDifference[aa] > 0;
            int ps = t.Row(K, CompareMetric.PrimaryShare, t.AllTiers, p);
            int gmv = t.Row(K, CompareMetric.Gmv, t.AllTiers, p);
            sentences.Add($"**{ctx.Name(p)}** {(gain ? "gains" : "loses")} {ctx.PeopleWithInterval(aa, negate: !gain)} annual-active users, " +
                          $"{Percent(t.MeanDifference[aa], t.BaselineMean[aa])} of the baseline's {ctx.Level(t.BaselineMean[aa])}; " +
                          $"its primary share moves {ctx.Pp(ps)} and its GMV in the week {ctx.Yuan(gmv)}.");
        }
        doc.List(sentences);
        if (movers.Unclear.Count > 0)
            doc.P(ctx.HasIntervals
                ? $"No significant change in annual-active users for {JoinAnd(movers.Unclear.Select(ctx.Name))} (the 95 % interval includes zero)."
                : $"No change in annual-active users for {JoinAnd(movers.Unclear.Select(ctx.Name))}.");
        var header = new[] { "Platform", "Annual-active users", "95 % interval", "vs baseline", "Primary share", "GMV in the week", "" };
        doc.Table(header, Enumerable.Range(0, ctx.P).Select(p =>
        {
            int aa = ctx.Aa(K, p);
            int ps = t.Row(K, CompareMetric.PrimaryShare, t.AllTiers, p);
            int gmv = t.Row(K, CompareMetric.Gmv, t.AllTiers, p);
            return (IReadOnlyList<string>)[ctx.Name(p), ctx.People(t.MeanDifference[aa]), ctx.Interval(aa, ctx.People),
                Percent(t.MeanDifference[aa], t.BaselineMean[aa]), ctx.Pp(ps), ctx.YuanValue(t.MeanDifference[gmv]), ctx.Mark(aa)];
        }), 1, 2, 3, 4, 5);
        doc.P("Differences are scenario − baseline. " + ctx.MarkLegend);
    }

    private static void TierSection(ReportDocument doc, Context ctx, Movers movers, bool charts)
    {
        int K = ctx.Last;
        var t = ctx.Table;
        doc.H(2, "In which tiers");
        var lines = new List<string>();
        foreach (int p in movers.All.Take(4))
        {
            double total = t.MeanDifference[ctx.Aa(K, p)];
            var tiers = Enumerable.Range(0, ctx.T).OrderByDescending(tier => Math.Sign(total) * t.MeanDifference[t.Row(K, CompareMetric.AnnualActive, tier, p)])
                .ToList();
            var shown = tiers.Where(tier => ctx.IsMover(t.Row(K, CompareMetric.AnnualActive, tier, p), Math.Sign(total))).ToList();
            if (shown.Count == 0)
            {
                lines.Add($"**{ctx.Name(p)}**: no single tier's difference is significant on its own.");
                continue;
            }
            var described = shown.Select(tier =>
            {
                int row = t.Row(K, CompareMetric.AnnualActive, tier, p);
                return $"{ctx.TierName(tier)} {ctx.People(t.MeanDifference[row])} ({Share(t.MeanDifference[row], total)} of the total, " +
                       $"{Percent(t.MeanDifference[row], t.BaselineMean[row])} of the tier's baseline)";
            });
            lines.Add($"**{ctx.Name(p)}** ({ctx.People(total)}): {string.Join("; ", described)}.");
        }
        doc.List(lines);

        var cells = new List<(int Tier, int Platform, int Row)>();
        for (int tier = 0; tier < ctx.T; tier++)
            for (int p = 0; p < ctx.P; p++)
            {
                int row = t.Row(K, CompareMetric.AnnualActive, tier, p);
                if (ctx.IsMover(row, 0)) cells.Add((tier, p, row));
            }
        var largest = cells.OrderByDescending(c => Math.Abs(t.MeanDifference[c.Row])).Take(6).ToList();
        if (largest.Count > 0)
        {
            doc.P($"The largest {(ctx.HasIntervals ? "significant " : "")}differences in annual-active users by tier and platform:");
            doc.Table(["Tier", "Platform", "Difference", "95 % interval", "vs tier baseline"],
                largest.Select(c => (IReadOnlyList<string>)[ctx.TierName(c.Tier), ctx.Name(c.Platform), ctx.People(t.MeanDifference[c.Row]),
                    ctx.Interval(c.Row, ctx.People), Percent(t.MeanDifference[c.Row], t.BaselineMean[c.Row])]), 2, 3, 4);
        }

        if (!charts) return;
        var values = new double[ctx.T, ctx.P];
        var labels = new string[ctx.T, ctx.P];
        double scale = ctx.PeopleScale(Enumerable.Range(0, ctx.T).SelectMany(tier => Enumerable.Range(0, ctx.P)
            .Select(p => t.MeanDifference[t.Row(K, CompareMetric.AnnualActive, tier, p)])), out string unit);
        for (int tier = 0; tier < ctx.T; tier++)
            for (int p = 0; p < ctx.P; p++)
            {
                int row = t.Row(K, CompareMetric.AnnualActive, tier, p);
                values[tier, p] = t.MeanDifference[row] / scale;
                labels[tier, p] = Signed(values[tier, p], scale == 1 ? "0" : "0.00") + (t.Significant[row] == false ? "\nn.s." : "");
            }
        doc.Chart(new ChartImage("difference_by_tier.png",
            $"Difference in annual-active users by tier and platform, {Day(t.Dates[K])} ({unit}; n.s. = not significant)",
            CompareCharts.DivergingHeatmap($"Annual-active users, scenario − baseline, {Day(t.Dates[K])}", values, labels,
                Enumerable.Range(0, ctx.T).Select(ctx.TierShortName).ToList(), Enumerable.Range(0, ctx.P).Select(p => ctx.ShortName(p)).ToList(),
                $"Difference ({unit})", "Platform", "City tier")));
    }

    private static void FlowSection(ReportDocument doc, Context ctx, int s0, Movers movers, bool charts)
    {
        int K = ctx.Last;
        var t = ctx.Table;
        doc.H(2, "From whom: net switching of primary platform");
        doc.P($"Net switches are people who made a platform their primary one minus those who left it for the other platform, " +
              $"summed from {Day(t.Dates[0])} to {Day(t.Dates[K])}, scenario − baseline (all tiers).");
        var lines = new List<string>();
        foreach (int p in movers.All.Take(4))
        {
            double sign = Math.Sign(t.MeanDifference[ctx.Aa(K, p)]);
            var flows = Enumerable.Range(0, ctx.P).Where(q => q != p)
                .Select(q => (q, row: t.Row(K, CompareMetric.CumulativeNetFlow, t.AllTiers, p, q)))
                .Where(f => ctx.IsMover(f.row, 0))
                .OrderByDescending(f => sign * t.MeanDifference[f.row]).ToList();
            if (flows.Count == 0)
            {
                lines.Add($"**{ctx.Name(p)}**: no {(ctx.HasIntervals ? "significant " : "")}change in net switching with any platform.");
                continue;
            }
            var gains = flows.Where(f => t.MeanDifference[f.row] > 0).Select(f => $"{ctx.Name(f.q)} ({ctx.PeopleWithInterval(f.row, compact: true)})").ToList();
            var losses = flows.Where(f => t.MeanDifference[f.row] < 0).Select(f => $"{ctx.Name(f.q)} ({ctx.PeopleWithInterval(f.row, negate: true, compact: true)})").ToList();
            var parts = new List<string>();
            if (gains.Count > 0) parts.Add($"takes primary users from {JoinAnd(gains)}");
            if (losses.Count > 0) parts.Add($"loses primary users to {JoinAnd(losses)}");
            lines.Add($"**{ctx.Name(p)}** {JoinAnd(parts)}.");
        }
        doc.List(lines);

        if (!charts) return;
        var values = new double[ctx.P, ctx.P];
        var labels = new string[ctx.P, ctx.P];
        var all = new List<double>();
        for (int from = 0; from < ctx.P; from++)
            for (int to = 0; to < ctx.P; to++)
                if (from != to) all.Add(t.MeanDifference[t.Row(K, CompareMetric.CumulativeNetFlow, t.AllTiers, to, from)]);
        double scale = ctx.PeopleScale(all, out string unit);
        for (int from = 0; from < ctx.P; from++)
            for (int to = 0; to < ctx.P; to++)
            {
                if (from == to) { labels[from, to] = "–"; continue; }
                int row = t.Row(K, CompareMetric.CumulativeNetFlow, t.AllTiers, to, from);
                values[from, to] = t.MeanDifference[row] / scale;
                labels[from, to] = Signed(values[from, to], scale == 1 ? "0" : "0.00") + (t.Significant[row] == false ? "\nn.s." : "");
            }
        var names = Enumerable.Range(0, ctx.P).Select(p => ctx.ShortName(p)).ToList();
        doc.Chart(new ChartImage("net_switching.png",
            $"Net primary switches from the row platform to the column platform, {Day(t.Dates[0])} to {Day(t.Dates[K])}, scenario − baseline ({unit})",
            CompareCharts.DivergingHeatmap($"Net switching of primary platform, scenario − baseline, to {Day(t.Dates[K])}", values, labels,
                names, names, $"Net switches ({unit})", "To", "From")));
    }

    private static void SpeedSection(ReportDocument doc, Context ctx, int s0, Movers movers, bool charts)
    {
        int K = ctx.Last;
        var t = ctx.Table;
        doc.H(2, "How fast");
        int stepDays = t.Dimensions.StepDays;
        int sixMonths = s0 + (int)Math.Ceiling(182.0 / stepDays);
        int oneYear = s0 + (int)Math.Ceiling(364.0 / stepDays);
        var lines = new List<string>();
        var rows = new List<IReadOnlyList<string>>();
        foreach (int p in movers.All)
        {
            double final = t.MeanDifference[ctx.Aa(K, p)];
            int sign = Math.Sign(final);
            int? significant = null, half = null;
            for (int k = s0; k <= K; k++)
            {
                int row = ctx.Aa(k, p);
                if (significant is null && t.Significant[row] == true && Math.Sign(t.MeanDifference[row]) == sign) significant = k;
                if (half is null && sign * t.MeanDifference[row] >= Math.Abs(final) / 2) half = k;
            }
            string sig = significant is { } ks ? Weeks(ctx, s0, ks) : "—";
            string hf = half is { } kh ? Weeks(ctx, s0, kh) : "—";
            string Cell(int k) => k <= K ? ctx.People(t.MeanDifference[ctx.Aa(k, p)]) + (t.Significant[ctx.Aa(k, p)] == false ? " (n.s.)" : "") : "beyond the horizon";
            rows.Add([ctx.Name(p), sig, hf, Cell(sixMonths), Cell(oneYear), ctx.People(final)]);
            if (lines.Count < 4)
                lines.Add($"**{ctx.Name(p)}**: " +
                          (ctx.HasIntervals ? (significant is { } a ? (a == s0 ? $"significant from the first step that differs ({Day(t.Dates[a])}); " : $"significant after {Weeks(ctx, s0, a)} ({Day(t.Dates[a])}); ") : "not yet significant; ") : "") +
                          (half is { } b ? $"half of its final difference reached after {Weeks(ctx, s0, b)} ({Day(t.Dates[b])})" : "") +
                          (sixMonths <= K ? $"; {ctx.People(t.MeanDifference[ctx.Aa(sixMonths, p)])} six months after the first difference" : "") + ".");
        }
        doc.P($"Time is counted from the step in which the runs first differ ({Day(t.Dates[s0])}); annual-active users, all tiers.");
        doc.List(lines);
        if (rows.Count > 0)
            doc.Table(["Platform", "Significant after", "Half of final after", "After 6 months", "After 1 year", $"Final ({Day(t.Dates[K])})"],
                rows, 1, 2, 3, 4, 5);
        if (!charts) return;

        var selected = ctx.ChartPlatforms(movers);
        var aaSeries = selected.Select(p => Series(ctx, CompareMetric.AnnualActive, p, 1e6)).ToList();
        doc.Chart(new ChartImage("annual_active_difference.png",
            "Difference in annual-active users over time, all tiers (million people; band = 95 % interval)",
            CompareCharts.DifferencesOverTime("Annual-active users, scenario − baseline", "Difference (million people)", t.Dates, stepDays,
                aaSeries, ctx.Alliances.Count > 0 ? ctx.Alliances.Min(a => a.Start) : t.Dates[s0])));
        var psSeries = selected.Select(p => Series(ctx, CompareMetric.PrimaryShare, p, 1)).ToList();
        doc.Chart(new ChartImage("primary_share_difference.png",
            "Difference in primary share over time, all tiers (percentage points; band = 95 % interval)",
            CompareCharts.DifferencesOverTime("Primary share, scenario − baseline", "Difference (percentage points)", t.Dates, stepDays,
                psSeries, ctx.Alliances.Count > 0 ? ctx.Alliances.Min(a => a.Start) : t.Dates[s0])));
    }

    private static (string, ScottPlot.Color, double[], double[]?, double[]?) Series(Context ctx, CompareMetric metric, int p, double scale)
    {
        var t = ctx.Table;
        int n = t.Dates.Length;
        var mean = new double[n];
        var low = ctx.HasIntervals ? new double[n] : null;
        var high = ctx.HasIntervals ? new double[n] : null;
        for (int k = 0; k < n; k++)
        {
            int row = t.Row(k, metric, t.AllTiers, p);
            mean[k] = t.MeanDifference[row] / scale;
            if (low is not null) low[k] = t.CiLow[row]!.Value / scale;
            if (high is not null) high[k] = t.CiHigh[row]!.Value / scale;
        }
        return (ctx.Name(p), CompareCharts.ParseColor(t.Dimensions.PlatformColors[p], p), mean, low, high);
    }

    private static void MethodSection(ReportDocument doc, Context ctx)
    {
        doc.H(2, "How these numbers are made");
        doc.P($"Each of the {ctx.Manifest.Replications.ToString(Inv)} replications runs the scenario and the baseline with the same seed, so both draw the same " +
              "random numbers for every consumer at every step and differ only through what the scenario changes. For every step, platform and tier the " +
              "difference scenario − baseline is taken within each replication; the report gives its mean over replications" +
              (ctx.HasIntervals ? $" and a {(ComparisonTable.Confidence * 100).ToString("0", Inv)} % Student-t interval (t with {(ctx.Manifest.Replications - 1).ToString(Inv)} degrees of freedom × standard deviation ÷ √{ctx.Manifest.Replications.ToString(Inv)}); " +
                                      "a difference is called significant when its interval excludes zero." : "; with one replication there is no interval.") +
              " Every figure in this report is in `comparison.parquet` (columns and units: docs/compare.md).");
    }

    // ---------- formatting ----------

    private static string Day(DateOnly d) => d.ToString("d MMM yyyy", Inv);

    private static string Weeks(Context ctx, int from, int to)
    {
        int days = ctx.Table.Dates[to].DayNumber - ctx.Table.Dates[from].DayNumber;
        if (days == 0) return "0 weeks (the first step)";
        if (days % 7 == 0) { int w = days / 7; return w == 1 ? "1 week" : $"{w.ToString(Inv)} weeks"; }
        return $"{days.ToString(Inv)} days";
    }

    /// <summary>A value with an explicit sign and a real minus sign.</summary>
    public static string Signed(double v, string format)
    {
        string s = Math.Abs(v).ToString(format, Inv);
        if (double.Parse(s, Inv) == 0) return s;
        return (v < 0 ? Minus : "+") + s;
    }

    /// <summary>People, signed, in millions, thousands or units as the magnitude suggests (e.g. "+4.12 million").</summary>
    public static string FormatPeople(double v) => FormatScaled(v, Math.Abs(v), signed: true);

    private static string FormatScaled(double v, double magnitude, bool signed)
    {
        (double scale, string suffix, string format) = magnitude >= 1e6 ? (1e6, " million", "0.00")
            : magnitude >= 1e4 ? (1e3, " thousand", "0.0") : (1, "", "0");
        return (signed ? Signed(v / scale, format) : (v / scale).ToString(format, Inv)) + suffix;
    }

    private static string Percent(double diff, double baseline) =>
        baseline == 0 ? "—" : Signed(100 * diff / baseline, Math.Abs(100 * diff / baseline) >= 10 ? "0.0" : "0.00") + " %";

    private static string Share(double part, double whole) => whole == 0 ? "—" : (100 * part / whole).ToString("0", Inv) + " %";

    private static string JoinAnd(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count switch
        {
            0 => "",
            1 => list[0],
            2 => $"{list[0]} and {list[1]}",
            _ => string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1],
        };
    }

    /// <summary>Platforms ordered by the size of their final annual-active difference, split by sign and significance.</summary>
    private sealed record Movers(List<int> Gainers, List<int> Losers, List<int> Unclear)
    {
        /// <summary>Gainers and losers together, largest absolute difference first.</summary>
        public List<int> All { get; init; } = [];
    }

    private sealed class Context(ComparisonTable table, CompareManifest manifest, IReadOnlyList<AddedAlliance> alliances)
    {
        public ComparisonTable Table { get; } = table;
        public CompareManifest Manifest { get; } = manifest;
        public IReadOnlyList<AddedAlliance> Alliances { get; } = alliances;
        public int Last => Table.Dates.Length - 1;
        public int T => Table.Dimensions.Tiers;
        public int P => Table.Dimensions.Platforms;
        public bool HasIntervals => Table.Replications > 1;

        public string Name(int p) => Table.Dimensions.PlatformNames[p];
        public string ShortName(int p)
        {
            string n = Name(p);
            int paren = n.IndexOf(" (", StringComparison.Ordinal);
            return paren > 0 ? n[..paren] : n;
        }
        public string NameOf(string id)
        {
            int p = Table.Dimensions.PlatformIds.ToList().IndexOf(id);
            return p >= 0 ? Name(p) : id;
        }
        public string TierName(int tier) => Table.Dimensions.TierNames[tier];

        /// <summary>A tier name for tight spots: the part before a parenthetical.</summary>
        public string TierShortName(int tier)
        {
            string n = TierName(tier);
            int paren = n.IndexOf(" (", StringComparison.Ordinal);
            return paren > 0 ? n[..paren] : n;
        }

        public int Aa(int k, int p) => Table.Row(k, CompareMetric.AnnualActive, Table.AllTiers, p);

        /// <summary>
        /// A difference worth reporting in the direction <paramref name="sign"/> (0 = either): significant with
        /// intervals; non-zero without.
        /// </summary>
        public bool IsMover(int row, int sign)
        {
            double m = Table.MeanDifference[row];
            if (m == 0 || (sign != 0 && Math.Sign(m) != sign)) return false;
            return !HasIntervals || Table.Significant[row] == true;
        }

        public Movers Movers(int k)
        {
            var order = Enumerable.Range(0, P).OrderByDescending(p => Math.Abs(Table.MeanDifference[Aa(k, p)])).ToList();
            var gainers = order.Where(p => IsMover(Aa(k, p), 1)).ToList();
            var losers = order.Where(p => IsMover(Aa(k, p), -1)).ToList();
            var unclear = Enumerable.Range(0, P).Where(p => !gainers.Contains(p) && !losers.Contains(p)).ToList();
            return new Movers(gainers, losers, unclear) { All = order.Where(p => gainers.Contains(p) || losers.Contains(p)).ToList() };
        }

        /// <summary>Alliance members, then the two other platforms that move most (or the four that move most without an alliance).</summary>
        public List<int> ChartPlatforms(Movers movers)
        {
            var members = Alliances.SelectMany(a => a.Members).Select(id => Table.Dimensions.PlatformIds.ToList().IndexOf(id)).Where(p => p >= 0).Distinct().ToList();
            int K = Last;
            var others = Enumerable.Range(0, P).Where(p => !members.Contains(p))
                .OrderByDescending(p => Math.Abs(Table.MeanDifference[Aa(K, p)])).Take(members.Count > 0 ? 2 : 4);
            return members.Concat(others).Order().ToList();
        }

        public string People(double v) => FormatPeople(v);

        /// <summary>"3.61 million (95 % interval 2.89 million to 4.33 million)", as a magnitude (negated for losses).</summary>
        public string PeopleWithInterval(int row, bool negate = false, bool compact = false)
        {
            double s = negate ? -1 : 1;
            string mean = Unsigned(s * Table.MeanDifference[row]);
            if (!HasIntervals) return mean;
            double lo = s * (negate ? Table.CiHigh[row]!.Value : Table.CiLow[row]!.Value);
            double hi = s * (negate ? Table.CiLow[row]!.Value : Table.CiHigh[row]!.Value);
            return compact ? $"{mean}; 95 % interval {Unsigned(lo)} to {Unsigned(hi)}" : $"{mean} (95 % interval {Unsigned(lo)} to {Unsigned(hi)})";
        }

        /// <summary>A magnitude in its own unit; a negative value keeps its minus sign.</summary>
        private static string Unsigned(double v) => v < 0 ? FormatPeople(v) : FormatScaled(v, Math.Abs(v), signed: false);

        /// <summary>A level (baseline users), unsigned.</summary>
        public string Level(double v) => FormatScaled(v, Math.Abs(v), signed: false);

        public string Interval(int row, Func<double, string> format) =>
            HasIntervals ? $"{format(Table.CiLow[row]!.Value)} to {format(Table.CiHigh[row]!.Value)}" : "—";

        public string Pp(int row) =>
            Signed(Table.MeanDifference[row], "0.00") + " pp" + (HasIntervals ? $" ({Signed(Table.CiLow[row]!.Value, "0.00")} to {Signed(Table.CiHigh[row]!.Value, "0.00")})" : "");

        public string YuanValue(double v)
        {
            double a = Math.Abs(v);
            return a >= 1e9 ? Signed(v / 1e9, "0.00") + " billion yuan"
                : a >= 1e6 ? Signed(v / 1e6, a >= 1e8 ? "0" : "0.0") + " million yuan" : Signed(v, "0") + " yuan";
        }

        public string Yuan(int row) => YuanValue(Table.MeanDifference[row]) + (HasIntervals ? $" (interval {YuanValue(Table.CiLow[row]!.Value)} to {YuanValue(Table.CiHigh[row]!.Value)})" : "");

        public string Mark(int row) => !HasIntervals ? "" : Table.Significant[row] == true ? "significant" : "n.s.";

        public string MarkLegend => HasIntervals ? "\"significant\": the 95 % interval excludes zero; \"n.s.\": it does not." : "One replication: no intervals.";

        /// <summary>A common unit for chart labels: millions when any value reaches 0.1 million, else thousands, else people.</summary>
        public double PeopleScale(IEnumerable<double> values, out string unit)
        {
            double max = values.Select(Math.Abs).DefaultIfEmpty(0).Max();
            if (max >= 1e5) { unit = "million people"; return 1e6; }
            if (max >= 1e3) { unit = "thousand people"; return 1e3; }
            unit = "people";
            return 1;
        }
    }
}
