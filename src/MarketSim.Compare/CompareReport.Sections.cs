using MarketSim.Charts;

namespace MarketSim.Compare;

// The report's sections after the summary: totals, run, trust, who moves, tiers, flows, speed, charts, method.
public static partial class CompareReport
{
    private static void TotalsSection(ReportDocument doc, Context ctx)
    {
        var tt = ctx.Totals;
        int period = tt.PeriodIndex(TotalPeriod.SinceFirstDifference);
        if (period < 0) return;
        var pr = tt.Periods[period];
        int all = tt.AllTiers;
        doc.H(2, $"Totals, {Day(pr.Start)} to {Day(pr.End)}");
        doc.P("Sums over every step from the first difference to the end of the run, scenario − baseline, all tiers, with 95 % intervals across " +
              "replications. GMV and supplied GMV have no published target (see below); new and churned users count people who became or stopped " +
              "being annual-active on the platform.");
        string Cell(CompareMetric m, int p, bool yuan)
        {
            int row = tt.Row(period, m, all, p);
            return ReportFormat.Mark(yuan ? ReportFormat.Yuan(tt.MeanDifference[row]) : ReportFormat.People(tt.MeanDifference[row]), ctx.TotalSignificant(row));
        }
        doc.Table(["Platform", "GMV", "95 % interval", "Supplied GMV", "New users", "Churned users"],
            Enumerable.Range(0, ctx.P).Select(p => (IReadOnlyList<string>)[ctx.Name(p), Cell(CompareMetric.Gmv, p, true),
                ctx.TotalInterval(tt.Row(period, CompareMetric.Gmv, all, p), yuan: true), Cell(CompareMetric.SuppliedGmv, p, true),
                Cell(CompareMetric.NewUsers, p, false), Cell(CompareMetric.ChurnedUsers, p, false)]), 1, 2, 3, 4, 5);

        var years = Enumerable.Range(0, tt.Periods.Count).Where(i => tt.Periods[i].Id != TotalPeriod.SinceFirstDifference && tt.Periods[i].LastStep >= pr.FirstStep).ToList();
        if (years.Count > 0)
        {
            doc.P("GMV by calendar year (a step counts in the year it starts in" +
                  (years.Any(i => tt.Periods[i].Steps < 52) ? "; partial years are marked with their number of weeks" : "") + "), scenario − baseline:");
            var header = new List<string> { "Platform" };
            foreach (int i in years)
                header.Add(tt.Periods[i].Id + (tt.Periods[i].Steps < 52 ? $" ({tt.Periods[i].Steps.ToString(Inv)} weeks)" : ""));
            header.Add("Whole period");
            var rows = Enumerable.Range(0, ctx.P).Select(p =>
            {
                var cells = new List<string> { ctx.Name(p) };
                foreach (int i in years)
                {
                    int row = tt.Row(i, CompareMetric.Gmv, all, p);
                    cells.Add(ReportFormat.Mark(ReportFormat.Yuan(tt.MeanDifference[row]), ctx.TotalSignificant(row)));
                }
                cells.Add(Cell(CompareMetric.Gmv, p, true));
                return (IReadOnlyList<string>)cells;
            });
            doc.Table(header, rows, Enumerable.Range(1, years.Count + 1).ToArray());
        }
        doc.P("Every total, per year, tier and platform, with switches in and out: `totals.parquet` (docs/compare.md). " + ctx.MarkLegend);
    }

    private static void RunSection(ReportDocument doc, Context ctx, string scenarioFile, string baselineFile)
    {
        var m = ctx.Manifest;
        var t = ctx.Table;
        doc.H(2, "What was compared");
        doc.Table(["", ""],
        [
            ["Scenario", $"{m.ScenarioDisplay}: `{m.ScenarioName}` ({scenarioFile}), SHA-256 `{m.ScenarioSha256[..16]}…`"],
            ["Baseline", $"{m.BaselineDisplay}: `{m.BaselineName}` ({baselineFile}), SHA-256 `{m.BaselineSha256[..16]}…`"],
            ["Replications", m.Draws > 0
                ? $"{m.ReplicationsPerDraw.ToString(Inv)} for each of {m.Draws.ToString(Inv)} parameter sets ({m.Replications.ToString(Inv)} runs of each arm), each running scenario and baseline with the same seed (common random numbers)"
                : $"{m.Replications.ToString(Inv)}, each running scenario and baseline with the same seed (common random numbers)"],
            .. m.Draws > 0
                ? new[] { new[] { "Parameters", $"{m.Draws.ToString(Inv)} draws from the posterior ensemble `{m.Posterior}` (its parameter sets {Sets(m.DrawRows!)}, systematic resampling by weight), the same in both arms" } }
                : [],
            ["Seeds", string.Join(", ", m.Seeds.Select(s => s.ToString(Inv)))],
            ["Agents per run", $"{m.Agents.ToString("N0", Inv)} (one agent stands for {m.ScenarioPeoplePerAgent.ToString("N1", Inv)} people)"],
            ["Period", $"{Day(t.Dates[0])} to {Day(t.Dates[ctx.Last])}: {t.Dates.Length.ToString(Inv)} steps of {t.Dimensions.StepDays.ToString(Inv)} days"],
            ["First difference", t.FirstDifferentStep is { } s ? $"step {s.ToString(Inv)}, starting {Day(t.Dates[s])}" : "none"],
            ["Intervals", m.Draws > 0
                ? $"{(ComparisonTable.Confidence * 100).ToString("0", Inv)} % intervals of the effect combining parameter uncertainty (between the draws) and Monte-Carlo noise (within them)"
                : ctx.HasIntervals
                ? $"{(ComparisonTable.Confidence * 100).ToString("0", Inv)} % Student-t intervals of the mean difference over {m.Replications.ToString(Inv)} replications"
                : "none (one replication)"],
            ["Program version", m.ProgramVersion],
        ]);
    }

    private static void TrustSection(ReportDocument doc, Context ctx)
    {
        var c = ctx.Calibration;
        doc.H(2, "How far to trust these numbers");
        foreach (var sentence in c.Sentences(ctx.NameOf)) doc.P(sentence);
        if (c.Rows.Count > 0)
        {
            doc.P($"The baseline against its targets (simulated: mean over the {ctx.Manifest.Replications.ToString(Inv)} replications):");
            doc.Table(["Date", "Figure", "Published", "Simulated", "Error", "Tolerance", ""],
                c.Rows.Select(r => (IReadOnlyList<string>)[r.PeriodStart is { } from ? $"{Day(from)} to {Day(r.Date)}" : Day(r.Date),
                    r.Label(ctx.NameOf), r.Show(r.Reported), r.Show(r.Simulated),
                    ReportFormat.Percent(r.Simulated - r.Reported, r.Reported), $"±{(100 * r.Tolerance).ToString("0", Inv)} %",
                    r.WithinTolerance ? "within" : "outside"]), 2, 3, 4, 5);
        }
        doc.P("A difference between the two arms can be more trustworthy than either level (common random numbers cancel much of the model's " +
              "error that both share), but it rests on the scenario's assumed strengths (shares, ramps, boosts), which no figure checks.");
        var assumed = ctx.Changes.Assumptions;
        if (assumed.Count > 0)
        {
            doc.P("Those strengths, from the scenario's `assumptions:` section (a source as of the announcement, a plausible range, or both; " +
                  "a sweep over the plausible ranges shows how much the answer depends on them):");
            doc.Table(["Value", "In this run", "Plausible range", "Source"],
                assumed.Select(a => (IReadOnlyList<string>)[$"`{a.Path}`", a.Value,
                    a.Assumption.Plausible.Count == 2 ? $"{a.Assumption.Plausible[0].ToString("0.###", Inv)} to {a.Assumption.Plausible[1].ToString("0.###", Inv)}" : "—",
                    a.Assumption.Source + (a.Assumption.Recalled ? " (recalled)" : "")]));
        }
    }

    private static void WhoSection(ReportDocument doc, Context ctx, Movers movers)
    {
        int K = ctx.Last;
        var t = ctx.Table;
        doc.H(2, $"Who gains and who loses (all tiers, {Day(t.Dates[K])}{ctx.BeyondNote(t.Dates[K])})");
        int period = ctx.Totals.PeriodIndex(TotalPeriod.SinceFirstDifference);
        var sentences = new List<string>();
        foreach (int p in movers.Gainers.Concat(movers.Losers))
        {
            var aa = ctx.Aa(K, p);
            bool gain = t.MeanDifference[aa] > 0;
            int gmv = ctx.Totals.Row(period, CompareMetric.Gmv, ctx.Totals.AllTiers, p);
            // The headline speaks of what published figures check (annual-active users and GMV are calibration targets);
            // primary share, the model's own logic, stays in the table below, labelled as such (issue 26 item 3).
            sentences.Add($"**{ctx.Name(p)}** {(gain ? "gains" : "loses")} {ctx.PeopleWithInterval(aa, negate: !gain)} annual-active users, " +
                          $"{ReportFormat.Percent(t.MeanDifference[aa], t.BaselineMean[aa])} of the baseline's {ReportFormat.People(t.BaselineMean[aa], signed: false)}; " +
                          $"GMV over the period {ReportFormat.Mark(ReportFormat.Yuan(ctx.Totals.MeanDifference[gmv]), ctx.TotalSignificant(gmv))}.");
        }
        doc.List(sentences);
        if (movers.Unclear.Count > 0)
            doc.P(ctx.HasIntervals
                ? $"No significant change in annual-active users for {JoinAnd(movers.Unclear.Select(ctx.Name))} (the 95 % interval includes zero)."
                : $"No change in annual-active users for {JoinAnd(movers.Unclear.Select(ctx.Name))}.");
        var header = new[] { "Platform", "Annual-active users", "95 % interval", "vs baseline", "Primary share (model)", "GMV over the period" };
        doc.Table(header, Enumerable.Range(0, ctx.P).Select(p =>
        {
            int aa = ctx.Aa(K, p);
            int ps = t.Row(K, CompareMetric.PrimaryShare, t.AllTiers, p);
            int gmv = ctx.Totals.Row(period, CompareMetric.Gmv, ctx.Totals.AllTiers, p);
            return (IReadOnlyList<string>)[ctx.Name(p), ReportFormat.Mark(ReportFormat.People(t.MeanDifference[aa]), t.Significant[aa]),
                ctx.Interval(aa), ReportFormat.Percent(t.MeanDifference[aa], t.BaselineMean[aa]),
                ReportFormat.Mark(ReportFormat.Pp(t.MeanDifference[ps]), t.Significant[ps]),
                ReportFormat.Mark(ReportFormat.Yuan(ctx.Totals.MeanDifference[gmv]), ctx.TotalSignificant(gmv))];
        }), 1, 2, 3, 4, 5);
        doc.P("Differences are scenario − baseline; annual-active users and primary share at the final step, GMV summed from the first difference. " +
              "Annual-active users and GMV are levels the calibration fits to published figures (docs/calibration.md); primary share " +
              "(the platform a consumer's orders go to first) is the model's logic, which no published figure checks. " + ctx.MarkLegend);
    }

    private static void TierSection(ReportDocument doc, Context ctx, Movers movers, bool charts)
    {
        int K = ctx.Last;
        var t = ctx.Table;
        doc.H(2, "In which tiers");
        doc.P("No published figure is broken down by city tier: the split across tiers is the model's, unchecked.");
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
                return $"{ctx.TierName(tier)} {ReportFormat.People(t.MeanDifference[row])} ({ReportFormat.Share(t.MeanDifference[row], total)} of the total, " +
                       $"{ReportFormat.Percent(t.MeanDifference[row], t.BaselineMean[row])} of the tier's baseline)";
            });
            lines.Add($"**{ctx.Name(p)}** ({ReportFormat.People(total)}): {string.Join("; ", described)}.");
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
                largest.Select(c => (IReadOnlyList<string>)[ctx.TierName(c.Tier), ctx.Name(c.Platform), ReportFormat.People(t.MeanDifference[c.Row]),
                    ctx.Interval(c.Row), ReportFormat.Percent(t.MeanDifference[c.Row], t.BaselineMean[c.Row])]), 2, 3, 4);
        }

        if (!charts) return;
        var values = new double[ctx.T, ctx.P];
        var labels = new string[ctx.T, ctx.P];
        var (scale, unit, decimals) = ReportFormat.PeopleScale(Enumerable.Range(0, ctx.T).SelectMany(tier => Enumerable.Range(0, ctx.P)
            .Select(p => t.MeanDifference[t.Row(K, CompareMetric.AnnualActive, tier, p)])));
        for (int tier = 0; tier < ctx.T; tier++)
            for (int p = 0; p < ctx.P; p++)
            {
                int row = t.Row(K, CompareMetric.AnnualActive, tier, p);
                values[tier, p] = t.MeanDifference[row] / scale;
                labels[tier, p] = ReportFormat.Label(values[tier, p], decimals) + (t.Significant[row] == false ? "\n" + ReportFormat.NotSignificant : "");
            }
        doc.Chart(new ChartImage("difference_by_tier.png",
            $"Difference in annual-active users by tier and platform, {Day(t.Dates[K])} ({unit}; n.s. = not significant)",
            CompareCharts.DivergingHeatmap($"{ctx.Manifest.ScenarioDisplay}: annual-active users vs baseline by tier, {Day(t.Dates[K])} ({unit})",
                values, labels, Enumerable.Range(0, ctx.T).Select(ctx.TierShortName).ToList(), Enumerable.Range(0, ctx.P).Select(ctx.ShortName).ToList(),
                "Platform", "City tier")));
    }

    private static void FlowSection(ReportDocument doc, Context ctx, Movers movers, bool charts)
    {
        int K = ctx.Last;
        var t = ctx.Table;
        doc.H(2, "From whom: net switching of primary platform");
        doc.P($"Net switches are people who made a platform their primary one minus those who left it for the other platform, " +
              $"summed from {Day(t.Dates[0])} to {Day(t.Dates[K])}, scenario − baseline (all tiers). No published figure covers switching.");
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
        var (scale, unit, decimals) = ReportFormat.PeopleScale(all);
        for (int from = 0; from < ctx.P; from++)
            for (int to = 0; to < ctx.P; to++)
            {
                if (from == to) { labels[from, to] = "–"; continue; }
                int row = t.Row(K, CompareMetric.CumulativeNetFlow, t.AllTiers, to, from);
                values[from, to] = t.MeanDifference[row] / scale;
                labels[from, to] = ReportFormat.Label(values[from, to], decimals) + (t.Significant[row] == false ? "\n" + ReportFormat.NotSignificant : "");
            }
        var names = Enumerable.Range(0, ctx.P).Select(ctx.ShortName).ToList();
        doc.Chart(new ChartImage("net_switching.png",
            $"Net primary switches from the row platform to the column platform, {Day(t.Dates[0])} to {Day(t.Dates[K])}, scenario − baseline ({unit})",
            CompareCharts.DivergingHeatmap($"{ctx.Manifest.ScenarioDisplay}: net primary switches vs baseline, to {Day(t.Dates[K])} ({unit})",
                values, labels, names, names, "To: new primary platform", "From: previous primary platform")));
    }

    /// <summary>A run of steps whose difference is significant with one sign (steps not significant in between do not break it).</summary>
    /// <param name="Sign">+1 or −1.</param>
    /// <param name="First">First significant step of the stretch.</param>
    /// <param name="Last">Last significant step of the stretch.</param>
    public sealed record Stretch(int Sign, int First, int Last);

    /// <summary>The course of one difference: its significant stretches, alternating in sign, and the step of its largest absolute mean.</summary>
    /// <param name="Stretches">Significant stretches in time order, alternating in sign.</param>
    /// <param name="Peak">Step of the largest absolute mean difference.</param>
    public sealed record Course(IReadOnlyList<Stretch> Stretches, int Peak)
    {
        /// <summary>First significant step, or null when the difference never is.</summary>
        public int? FirstSignificant => Stretches.Count > 0 ? Stretches[0].First : null;
    }

    /// <summary>
    /// Reads a difference's course from the first difference <paramref name="s0"/> to the end: the stretches in which it is
    /// significant (non-zero without intervals) with one sign, a new stretch starting whenever the significant sign
    /// flips, and the step of the largest absolute mean difference.
    /// </summary>
    public static Course CourseOf(ComparisonTable t, CompareMetric metric, int platform, int s0)
    {
        int peak = s0;
        var stretches = new List<Stretch>();
        bool intervals = t.Replications > 1;
        for (int k = s0; k < t.Dates.Length; k++)
        {
            int row = t.Row(k, metric, t.AllTiers, platform);
            double m = t.MeanDifference[row];
            if (Math.Abs(m) > Math.Abs(t.MeanDifference[t.Row(peak, metric, t.AllTiers, platform)])) peak = k;
            int sign = m == 0 || (intervals && t.Significant[row] != true) ? 0 : Math.Sign(m);
            if (sign == 0) continue;
            if (stretches.Count > 0 && stretches[^1].Sign == sign) stretches[^1] = stretches[^1] with { Last = k };
            else stretches.Add(new Stretch(sign, k, k));
        }
        return new Course(stretches, peak);
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
        // Every platform whose difference is significant at some step, final movers first: a platform that gains
        // for a while and then loses is as much part of the story as one that ends significant.
        var platforms = movers.All.Concat(Enumerable.Range(0, ctx.P).Where(p => !movers.All.Contains(p))).ToList();
        string Signed(int sign) => sign > 0 ? "positive" : "negative";
        foreach (int p in platforms)
        {
            var c = CourseOf(t, CompareMetric.AnnualActive, p, s0);
            if (c.FirstSignificant is not { } f) continue;
            double Value(int k) => t.MeanDifference[ctx.Aa(k, p)];
            string At(int k) => ReportFormat.Mark(ReportFormat.People(Value(k)), t.Significant[ctx.Aa(k, p)]);
            string Cell(int k) => k <= K ? At(k) : "beyond the horizon";
            string Span(Stretch x) => x.Last == K ? $"from {Day(t.Dates[x.First])}" : x.First == x.Last ? $"on {Day(t.Dates[x.First])} only" : $"{Day(t.Dates[x.First])} to {Day(t.Dates[x.Last])}";
            var first = c.Stretches[0];
            string flipsCell = c.Stretches.Count == 1 ? "none" : string.Join("; ", c.Stretches.Skip(1).Select(x => $"{Signed(x.Sign)} {Span(x)}"));
            rows.Add([ctx.Name(p), $"{Day(t.Dates[f])} ({Weeks(ctx, s0, f)}, {Signed(first.Sign)})", flipsCell,
                $"{At(c.Peak)} ({Day(t.Dates[c.Peak])})", Cell(sixMonths), Cell(oneYear), At(K)]);
            if (lines.Count >= 5) continue;
            string verb = ctx.HasIntervals ? "significantly " : "";
            var story = new List<string>();
            for (int i = 0; i < c.Stretches.Count; i++)
            {
                var x = c.Stretches[i];
                string lead = i == 0 ? $" ({(x.First == s0 ? "at once" : Weeks(ctx, s0, x.First) + " after the first difference")})" : "";
                story.Add($"{verb}{Signed(x.Sign)} {Span(x)}{lead}");
            }
            story.Add($"largest difference {At(c.Peak)} on {Day(t.Dates[c.Peak])}");
            if (c.Stretches[^1].Last != K) story.Add($"{At(K)} at the end");
            string flips = c.Stretches.Count switch { 1 => "", 2 => " (the sign changes once)", _ => $" (the sign changes {(c.Stretches.Count - 1).ToString(Inv)} times)" };
            lines.Add($"**{ctx.Name(p)}**: {string.Join("; ", story)}{flips}.");
        }
        doc.P($"Annual-active users, all tiers, scenario − baseline, from the step in which the runs first differ ({Day(t.Dates[s0])}). " +
              (ctx.HasIntervals ? "A stretch is the steps from the first to the last at which the 95 % interval excludes zero with one sign; a new stretch starts when the significant sign flips." : "One replication: signs only."));
        doc.List(lines);
        if (rows.Count > 0)
            doc.Table(["Platform", "First significant", "Sign changes", "Largest (when)", "After 6 months", "After 1 year", $"Final ({Day(t.Dates[K])})"],
                rows, 4, 5, 6);
        if (!charts) return;

        var selected = ctx.ChartPlatforms(movers);
        var events = ctx.Changes.Events(ctx.NameOf);
        // The chart starts shortly before the first difference: before it every difference is exactly zero.
        int from = Math.Max(0, s0 - (int)Math.Ceiling(56.0 / stepDays));
        var window = t.Dates[from..];
        string vs = $"{ctx.Manifest.ScenarioDisplay} vs {ctx.Manifest.BaselineDisplay}";
        var psSeries = selected.Select(p => Series(ctx, CompareMetric.PrimaryShare, p, 0.01, from)).ToList(); // fractions → percentage points
        doc.Chart(new ChartImage("primary_share_difference.png",
            "Difference in primary share over time, all tiers (percentage points; band = 95 % interval)",
            CompareCharts.DifferencesOverTime($"{vs}: primary share, difference", "Difference (percentage points)", window, stepDays,
                psSeries, events)));
    }

    /// <summary>
    /// The annual-active difference over time, all tiers and per tier, from shortly before the first difference: the
    /// charts of the report's first screen.
    /// </summary>
    private static void DifferenceCharts(ReportDocument doc, Context ctx, int s0, Movers movers)
    {
        var t = ctx.Table;
        int stepDays = t.Dimensions.StepDays;
        var selected = ctx.ChartPlatforms(movers);
        var events = ctx.Changes.Events(ctx.NameOf);
        // The charts start shortly before the first difference: before it every difference is exactly zero.
        int from = Math.Max(0, s0 - (int)Math.Ceiling(56.0 / stepDays));
        var window = t.Dates[from..];
        string vs = $"{ctx.Manifest.ScenarioDisplay} vs {ctx.Manifest.BaselineDisplay}";
        doc.Chart(new ChartImage("annual_active_difference.png",
            "Difference in annual-active users over time, all tiers (million people; band = 95 % interval)",
            CompareCharts.DifferencesOverTime($"{vs}: annual-active users, difference", "Difference (million people)", window, stepDays,
                selected.Select(p => Series(ctx, CompareMetric.AnnualActive, p, 1e6, from)).ToList(), events)));
        var perTier = Enumerable.Range(0, ctx.T)
            .Select(tier => (IReadOnlyList<CompareCharts.Series>)selected.Select(p => Series(ctx, CompareMetric.AnnualActive, p, 1e6, from, tier)).ToList()).ToList();
        doc.Chart(new ChartImage("annual_active_difference_by_tier.png",
            "Difference in annual-active users over time by city tier, one scale for all tiers (million people; band = 95 % interval)",
            CompareCharts.DifferencesByTier($"{vs}: annual-active users by city tier, difference (million people)", "Difference (million)", window, stepDays,
                Enumerable.Range(0, ctx.T).Select(ctx.TierName).ToList(), perTier, events)));
    }

    private static CompareCharts.Series Series(Context ctx, CompareMetric metric, int p, double scale, int from, int tier = -1)
    {
        var t = ctx.Table;
        if (tier < 0) tier = t.AllTiers;
        int n = t.Dates.Length - from;
        var mean = new double[n];
        var low = ctx.HasIntervals ? new double[n] : null;
        var high = ctx.HasIntervals ? new double[n] : null;
        for (int i = 0; i < n; i++)
        {
            int row = t.Row(from + i, metric, tier, p);
            mean[i] = t.MeanDifference[row] / scale;
            if (low is not null) low[i] = t.CiLow[row]!.Value / scale;
            if (high is not null) high[i] = t.CiHigh[row]!.Value / scale;
        }
        return new CompareCharts.Series(ctx.Name(p), ChartStyle.PlatformColors(t.Dimensions.PlatformColors, ctx.P)[p], mean, low, high);
    }

    private static void MethodSection(ReportDocument doc, Context ctx)
    {
        doc.H(2, "How these numbers are made");
        doc.P($"Each of the {ctx.Manifest.Replications.ToString(Inv)} replications runs the scenario and the baseline with the same seed, so both draw the same " +
              "random numbers for every consumer at every step and differ only through what the scenario changes. For every step, platform and tier the " +
              "difference scenario − baseline is taken within each replication (for totals: the difference of the sums over the period); the report " +
              "gives its mean over replications" +
              (ctx.HasIntervals ? $" and a {(ComparisonTable.Confidence * 100).ToString("0", Inv)} % Student-t interval (t with {(ctx.Manifest.Replications - 1).ToString(Inv)} degrees of freedom × standard deviation ÷ √{ctx.Manifest.Replications.ToString(Inv)}); " +
                                      "a difference is called significant when its interval excludes zero." : "; with one replication there is no interval.") +
              " Every figure in this report is in `comparison.parquet` or `totals.parquet` (columns and units: docs/compare.md).");
        if (ctx.Manifest.Draws > 0)
            doc.P($"The parameters are not single values: each of {ctx.Manifest.Draws.ToString(Inv)} parameter sets drawn from the posterior ensemble " +
                  $"`{ctx.Manifest.Posterior}` (the parameter sets consistent with the published figures, docs/calibration.md) runs both arms " +
                  $"{ctx.Manifest.ReplicationsPerDraw.ToString(Inv)} times with seeds of its own. A difference's variance is split by the law of total " +
                  "variance: the parameter part is the variance of the draws' mean differences less what their own Monte-Carlo noise adds to it, the " +
                  "Monte-Carlo part is the pooled within-draw variance ÷ replications; the interval is the mean ± t × √(sum), t with Welch–Satterthwaite " +
                  "degrees of freedom, and \"of the variance from parameter uncertainty\" is the first part's share (column `parameter_share`). " +
                  "Such an interval says where the effect lies given what the data leave open, not only how precisely the runs estimate one parameter set's effect.");
    }

    /// <summary>"3, 17, 17 and 40" for the ensemble rows drawn (repeats kept: a heavy set is drawn more than once).</summary>
    private static string Sets(IReadOnlyList<int> rows)
    {
        var text = rows.Select(r => r.ToString(Inv)).ToList();
        return text.Count == 1 ? text[0] : string.Join(", ", text.Take(text.Count - 1)) + " and " + text[^1];
    }
}
