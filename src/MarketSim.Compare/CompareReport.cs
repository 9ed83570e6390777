using System.Globalization;
using MarketSim.Calibration;
using MarketSim.Charts;
using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Compare;

/// <summary>A headline figure of the report, kept so it can be checked against the data.</summary>
/// <param name="Platform">Platform id.</param>
/// <param name="PlatformName">Platform display name.</param>
/// <param name="Step">Step index.</param>
/// <param name="Date">First day of the step.</param>
/// <param name="Mean">Mean annual-active difference, people (all tiers).</param>
/// <param name="Low">Lower end of the 95 % interval, if any.</param>
/// <param name="High">Upper end, if any.</param>
/// <param name="Text">The figure as the report prints it.</param>
/// <param name="Caution">
/// Why the figure may not be the scenario's effect alone (a calendar event in one arm that the scenario does not own, a
/// difference resting on a handful of agents), or null.
/// </param>
/// <param name="ParameterShare">Under a posterior, the share of the interval's variance from parameter uncertainty; otherwise null.</param>
public sealed record HeadlineFigure(string Platform, string PlatformName, int Step, DateOnly Date, double Mean, double? Low, double? High, string Text,
    string? Caution = null, double? ParameterShare = null);

/// <summary>The report's two renderings, its charts and its headline figure.</summary>
/// <param name="Markdown">report.md.</param>
/// <param name="Html">report.html: one file, charts inline.</param>
/// <param name="Charts">The charts (also written as PNG files beside the Markdown).</param>
/// <param name="Headline">The largest significant annual-active difference (all tiers) at the final step (any non-zero one with a single replication), or null when none.</param>
public sealed record CompareReportOutput(string Markdown, string Html, IReadOnlyList<ChartImage> Charts, HeadlineFigure? Headline);

/// <summary>
/// Writes the strategist's answer from a <see cref="ComparisonTable"/> and its <see cref="TotalsTable"/>: who gains
/// what over the alliance's life in yuan and people, in which tiers, from whom, how fast, and how far the figures can
/// be trusted. Every number is computed from the tables, the manifest or the calibration rows; the wording follows
/// the data, and every number goes through <see cref="ReportFormat"/>.
/// </summary>
public static partial class CompareReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Builds the report.</summary>
    /// <param name="table">Differences per step.</param>
    /// <param name="totals">Totals per period.</param>
    /// <param name="manifest">Scenario, baseline, seeds, replications, agents, version.</param>
    /// <param name="changes">What the scenario adds or changes (context, chart markers and chart selection).</param>
    /// <param name="calibration">The baseline's published figures against its simulated values (mean over replications).</param>
    /// <param name="scenarioFile">Scenario file as the user named it.</param>
    /// <param name="baselineFile">Baseline file as the user named it (or as the scenario extends it).</param>
    /// <param name="charts">Render the PNG charts (tests of the text can skip them).</param>
    /// <param name="attribution">Clause-by-clause attribution (compare --attribute), or null.</param>
    /// <param name="fittedBy">The calibration file whose fitted values the baseline carries (its <c>fitted_by</c>), or empty.</param>
    public static CompareReportOutput Build(ComparisonTable table, TotalsTable totals, CompareManifest manifest, ScenarioChanges changes,
        IReadOnlyList<CalibrationRow> calibration, string scenarioFile, string baselineFile, bool charts = true, Attribution? attribution = null,
        string fittedBy = "")
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(calibration);
        var ctx = new Context(table, totals, manifest, changes, new CalibrationSummary(calibration, fittedBy));
        var doc = new ReportDocument($"What the {manifest.ScenarioDisplay} changes compared with the {manifest.BaselineDisplay}");

        int K = ctx.Last;
        if (table.FirstDifferentStep is not { } s0)
        {
            ChangesParagraph(doc, ctx);
            doc.P($"The scenario and the baseline give **identical results at every step** of every replication " +
                  $"({Day(table.Dates[0])} to {Day(table.Dates[K])}): under common random numbers the scenario changes nothing the model measures.");
            RunSection(doc, ctx, scenarioFile, baselineFile);
            TrustSection(doc, ctx);
            return new CompareReportOutput(doc.ToMarkdown(), doc.ToHtml(), [], null);
        }

        var movers = ctx.Movers(K);
        var headline = Summary(doc, ctx, s0, movers);
        // A chart above the fold: the answer over time, all tiers and per tier (the first screen had none).
        if (charts) DifferenceCharts(doc, ctx, s0, movers);
        // compare --attribute: the clause-by-clause split right after the answer, before the totals (Attribution*.cs).
        if (attribution is not null) AttributionReport.AddTo(doc, attribution, ctx.Changes.CannotAct);
        else CannotActSection(doc, ctx.Changes.CannotAct);
        TotalsSection(doc, ctx);
        RunSection(doc, ctx, scenarioFile, baselineFile);
        TrustSection(doc, ctx);
        WhoSection(doc, ctx, movers);
        TierSection(doc, ctx, movers, charts);
        FlowSection(doc, ctx, movers, charts);
        SpeedSection(doc, ctx, s0, movers, charts);
        MethodSection(doc, ctx);
        return new CompareReportOutput(doc.ToMarkdown(), doc.ToHtml(), doc.Charts.ToList(), headline);
    }

    // ---------- sections ----------

    /// <summary>The scenario's changes that cannot act (or only in part) somewhere, each with its reason; nothing when none.</summary>
    internal static void CannotActSection(ReportDocument doc, IReadOnlyList<CannotActNote> notes)
    {
        if (notes.Count == 0) return;
        doc.H(2, "What cannot act, and why");
        doc.P("These interventions and clauses of the scenario are capped by an attribute's limit or have nothing to act on in " +
              "some tiers or steps; their effect there is zero (or part of what their size says), whatever their size.");
        doc.List(notes.Select(n => $"`{n.Path}`: {n.Message}."));
    }

    private static void ChangesParagraph(ReportDocument doc, Context ctx)
    {
        var parts = new List<string>();
        foreach (var a in ctx.Changes.Alliances)
            parts.Add($"adds the {a.Name} ({JoinAnd(a.Members.Select(ctx.NameOf))}) from {Day(a.Start)}" + (a.End is { } e ? $" to {Day(e)}" : ""));
        var added = ctx.Changes.Interventions.Where(i => !i.Changed).ToList();
        var changed = ctx.Changes.Interventions.Where(i => i.Changed).ToList();
        if (added.Count > 0) parts.Add($"adds {JoinAnd(added.Select(i => $"{ctx.NameOf(i.Platform)}'s {i.Description} (`{i.Id}`)"))}");
        if (changed.Count > 0) parts.Add($"sets {JoinAnd(changed.Select(i => $"`{i.Id}` differently: {ctx.NameOf(i.Platform)}'s {i.Description}"))}");
        if (parts.Count > 0) doc.P($"The scenario {JoinAnd(parts)}.");
        foreach (var a in ctx.Changes.Alliances)
            if (CoPromotionSentence(a) is { } sentence) doc.P(sentence);
    }

    /// <summary>
    /// Which festival occurrences an added alliance co-promotes, window by window: its members' boost during them is
    /// part of the alliance's effect, and a reader must be able to tell that part is a festival, not the sharing.
    /// </summary>
    /// <param name="a">An alliance the scenario adds.</param>
    /// <returns>The sentence, or null when the alliance co-promotes nothing in the run.</returns>
    public static string? CoPromotionSentence(AddedAlliance a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var list = a.CoPromotedFestivals ?? [];
        if (list.Count == 0) return null;
        string Window(FestivalOccurrence o) => o.From == o.Day ? Day(o.Day) : $"{DaySpan(o.From, o.Day)}";
        var items = list.Select(o => $"{o.Name} ({Window(o)})").ToList();
        string which = list.Count == 1 ? "one festival occurrence" : $"{list.Count} festival occurrences";
        string every = a.EveryOccurrence ? " (every occurrence while it runs)" : "";
        return $"The {a.Name} co-promotes {which} in the run{every}: {JoinAnd(items)}. Part of its effect is these festivals' " +
               "promotion of its members, not the sharing of goods, deliveries or traffic (`compare --attribute` separates the clauses).";
    }

    private static string DaySpan(DateOnly from, DateOnly to) =>
        from.Year != to.Year ? $"{Day(from)} to {Day(to)}"
        : from.Month != to.Month ? $"{from.ToString("d MMM", CultureInfo.InvariantCulture)} to {Day(to)}"
        : $"{from.Day.ToString(CultureInfo.InvariantCulture)}–{Day(to)}";

    /// <summary>
    /// Every calendar difference between the arms, each said to be the what-if or not; when one is not, a caution that
    /// the differences below include its effect. Returns the caution for the console's headline, or null.
    /// </summary>
    private static string? CalendarParagraph(ReportDocument doc, Context ctx)
    {
        var all = ctx.Changes.Calendar ?? [];
        if (all.Count == 0)
        {
            doc.P("The arms' calendars (festivals, interventions, alliances' dates) do not differ.");
            return null;
        }
        doc.P("**Calendar differences between the arms** (every festival, intervention and alliance date that one arm has and the other lacks or sets differently):");
        doc.List(all.Select(c => c.Owned
            ? $"{Capital(c.Text)}: the what-if."
            : $"{Capital(c.Text)}: **not part of the what-if** (a festival happens either way unless the scenario marks it `what_if: true`)."));
        var unowned = ctx.Changes.Unowned;
        if (unowned.Count == 0) return null;
        string names = JoinAnd(unowned.Select(c => c.Shown));
        bool one = unowned.Count == 1;
        doc.P($"**Caution: every difference below includes the effect of {names}, which {(one ? "is" : "are")} in one arm only (or set differently) " +
              $"but not part of the what-if.** To measure the scenario alone, give {(one ? "it" : "them")} to both arms (the baseline), or mark " +
              $"{(one ? "it" : "them")} `what_if: true` when the scenario creates {(one ? "it" : "them")}.");
        return $"includes the effect of {names}, a calendar event in one arm only that the scenario does not own";
    }

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static HeadlineFigure? Summary(ReportDocument doc, Context ctx, int s0, Movers movers)
    {
        int K = ctx.Last;
        var t = ctx.Table;
        ChangesParagraph(doc, ctx);
        string? caution = CalendarParagraph(doc, ctx);

        // Who gains what in yuan over the alliance's life: GMV totals and what partners supplied.
        int period = ctx.Totals.PeriodIndex(TotalPeriod.SinceFirstDifference);
        if (period >= 0)
        {
            var pr = ctx.Totals.Periods[period];
            string span = $"{Day(pr.Start)} to {Day(pr.End)}, {Weeks(pr.End.DayNumber + 1 - pr.Start.DayNumber)}";
            string over = ctx.Changes.Alliances.Count > 0 ? $"Over the alliance's life in the run ({span})" : $"From the first difference to the end of the run ({span})";
            // The two largest gains and losses lead; every platform is in the totals table below.
            var gmvMovers = ctx.TotalMovers(period, CompareMetric.Gmv);
            bool Gains(int p) => ctx.Totals.MeanDifference[ctx.Totals.Row(period, CompareMetric.Gmv, ctx.Totals.AllTiers, p)] > 0;
            var gmv = gmvMovers.Where(Gains).Take(2).Concat(gmvMovers.Where(p => !Gains(p)).Take(2));
            var parts = gmv.Select(p =>
            {
                int row = ctx.Totals.Row(period, CompareMetric.Gmv, ctx.Totals.AllTiers, p);
                bool gain = ctx.Totals.MeanDifference[row] > 0;
                return $"**{ctx.ShortName(p)}'s GMV is {ctx.TotalWithInterval(row, yuan: true, negate: !gain)} {(gain ? "higher" : "lower")}**";
            }).ToList();
            var supplied = SuppliedSentences(ctx, period);
            string gmvText = parts.Count > 0
                ? $"{over}, {JoinAnd(parts)} than in the baseline."
                : $"{over}, no platform's GMV differs significantly from the baseline.";
            doc.P(gmvText + (supplied.Count > 0 ? " " + string.Join(" ", supplied) : ""));
        }

        string when = $"By {Day(t.Dates[K])} ({Weeks(ctx, s0, K)} after the runs first differ, in the step starting {Day(t.Dates[s0])})";
        var people = new List<string>();
        foreach (int p in movers.Gainers.Take(2)) people.Add($"**{ctx.Name(p)} gains {ctx.PeopleWithInterval(ctx.Aa(K, p))}** annual-active users");
        foreach (int p in movers.Losers.Take(2)) people.Add($"**{ctx.Name(p)} loses {ctx.PeopleWithInterval(ctx.Aa(K, p), negate: true)}**");
        doc.P(people.Count > 0
            ? $"{when}, {JoinAnd(people)}, across all tiers."
            : $"{when}, no platform's annual-active users differ significantly from the baseline across all tiers.");
        // A difference of a few agents, or one the same in every replication (an interval of zero width), is not a finding.
        var fragile = movers.Gainers.Take(2).Concat(movers.Losers.Take(2)).Where(p => ctx.Fragile(ctx.Aa(K, p))).ToList();
        foreach (int p in fragile)
        {
            int row = ctx.Aa(K, p);
            double agents = ctx.Agents(row);
            string same = t.SdDifference[row] == 0 ? " and is the same in every replication, so its interval has zero width" : "";
            doc.P($"**Caution:** {ctx.Name(p)}'s difference rests on {(agents < 1 ? "less than one agent" : $"about {agents.ToString("0", Inv)} agent{(agents >= 1.5 ? "s" : "")}")} " +
                  $"per run (one agent stands for {ctx.Manifest.ScenarioPeoplePerAgent.ToString("N0", Inv)} people){same}: too few to read. Run with more agents (`--agents`).");
        }
        if (ctx.Manifest.Replications == 2 && ctx.Manifest.Draws <= 1)
            doc.P("**Caution:** with 2 replications each interval rests on one degree of freedom (t = 12.7): it is very wide, or misleadingly narrow " +
                  "when the two replications happen to agree. Use 3 or more replications (`--replications`, 5 by default).");
        doc.P(ctx.TrustLine(t.Dates[s0]));
        if (!ctx.HasIntervals)
            doc.P("With a single replication there is no interval and no test of significance: differences are shown with their sign only. " +
                  "Run with --replications 2 or more to know which of them exceed the model's noise.");

        int top = movers.All.Count > 0 ? movers.All[0] : -1;
        if (top < 0) return null;
        int hr = t.Row(K, CompareMetric.AnnualActive, t.AllTiers, top);
        if (ctx.Fragile(hr)) caution = (caution is null ? "" : caution + "; ") + $"rests on about {ctx.Agents(hr).ToString("0", Inv)} agents per run";
        return new HeadlineFigure(t.Dimensions.PlatformIds[top], t.Dimensions.PlatformNames[top], K, t.Dates[K], t.MeanDifference[hr], t.CiLow[hr], t.CiHigh[hr],
            ReportFormat.People(t.MeanDifference[hr]), caution, t.ParameterShare[hr]);
    }

    /// <summary>"JD.com supplies 54.8 billion yuan (…) of goods sold on Kuaishou." for every platform whose supplied GMV moves.</summary>
    private static List<string> SuppliedSentences(Context ctx, int period)
    {
        var sentences = new List<string>();
        foreach (int p in ctx.TotalMovers(period, CompareMetric.SuppliedGmv).Where(p => ctx.Totals.MeanDifference[ctx.Totals.Row(period, CompareMetric.SuppliedGmv, ctx.Totals.AllTiers, p)] > 0))
        {
            int row = ctx.Totals.Row(period, CompareMetric.SuppliedGmv, ctx.Totals.AllTiers, p);
            string id = ctx.Table.Dimensions.PlatformIds[p];
            var hosts = ctx.Changes.Alliances.SelectMany(a => a.Supply ?? []).Where(x => x.Partner == id).Select(x => ctx.NameOf(x.Host)).Distinct().ToList();
            string through = hosts.Count > 0 ? $"sold on {JoinAnd(hosts)}" : "sold on its partners' storefronts";
            string baseline = ctx.Totals.BaselineTotal[row] == 0 ? "" : $" ({ReportFormat.Yuan(ctx.Totals.MeanDifference[row])} on the baseline's {ReportFormat.Yuan(ctx.Totals.BaselineTotal[row], signed: false)})";
            sentences.Add($"Besides its own sales, **{ctx.Name(p)} supplies {ctx.TotalWithInterval(row, yuan: true)}** of goods {through}{baseline}, " +
                          "counted in the host's GMV above.");
        }
        return sentences;
    }

    // ---------- formatting ----------

    private static string Day(DateOnly d) => d.ToString("d MMM yyyy", Inv);

    private static string Weeks(Context ctx, int from, int to) =>
        to == from ? "at once" : Weeks(ctx.Table.Dates[to].DayNumber - ctx.Table.Dates[from].DayNumber);

    private static string Weeks(int days)
    {
        if (days % 7 == 0) { int w = days / 7; return w == 1 ? "1 week" : $"{w.ToString(Inv)} weeks"; }
        return $"{days.ToString(Inv)} days";
    }

    /// <summary>People, signed (e.g. "+4.12 million"): <see cref="ReportFormat.People"/>, kept for callers of the earlier name.</summary>
    public static string FormatPeople(double v) => ReportFormat.People(v);

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

    private sealed class Context(ComparisonTable table, TotalsTable totals, CompareManifest manifest, ScenarioChanges changes, CalibrationSummary calibration)
    {
        public ComparisonTable Table { get; } = table;
        public TotalsTable Totals { get; } = totals;
        public CompareManifest Manifest { get; } = manifest;
        public ScenarioChanges Changes { get; } = changes;
        public CalibrationSummary Calibration { get; } = calibration;
        public int Last => Table.Dates.Length - 1;
        public int T => Table.Dimensions.Tiers;
        public int P => Table.Dimensions.Platforms;
        public bool HasIntervals => Table.Replications > 1;

        public string Name(int p) => Table.Dimensions.PlatformNames[p];
        public string ShortName(int p) => ChartStyle.ShortName(Name(p));
        public string NameOf(string id)
        {
            int p = Table.Dimensions.PlatformIds.ToList().IndexOf(id);
            return p >= 0 ? Name(p) : id == "all" ? "all platforms" : id;
        }
        public string TierName(int tier) => Table.Dimensions.TierNames[tier];
        public string TierShortName(int tier) => ChartStyle.ShortName(TierName(tier));

        public int Aa(int k, int p) => Table.Row(k, CompareMetric.AnnualActive, Table.AllTiers, p);

        /// <summary>Fewer agents per run than this behind a people difference: a handful, not a finding.</summary>
        public const double HandfulOfAgents = 20;

        /// <summary>Agents per run behind a difference in people (its mean over the people one agent stands for).</summary>
        public double Agents(int row) => Math.Abs(Table.MeanDifference[row]) / Math.Max(1e-9, Manifest.ScenarioPeoplePerAgent);

        /// <summary>A non-zero people difference resting on a handful of agents, or the same in every replication (zero-width interval).</summary>
        public bool Fragile(int row) => Table.MeanDifference[row] != 0 && (Agents(row) < HandfulOfAgents || (HasIntervals && Table.SdDifference[row] == 0));

        /// <summary>" — after the last calibration target" for a date the targets do not reach.</summary>
        public string BeyondNote(DateOnly date) => Calibration.Beyond(date) ? "; after the last calibration target" : "";

        /// <summary>One sentence placing the report's figures against the calibration, computed from the targets.</summary>
        public string TrustLine(DateOnly firstDifference)
        {
            var c = Calibration;
            string targets = c.Rows.Count == 0
                ? "The baseline has no calibration target"
                : $"The baseline is checked against {c.Rows.Count.ToString(Inv)} published figures of user numbers up to {Day(c.LastDate!.Value)} " +
                  $"({c.WithinBand.ToString(Inv)} within ±{(100 * CalibrationSummary.Band).ToString("0", Inv)} %, {c.WithinTolerance.ToString(Inv)} within their tolerance; {(c.FittedBy.Length > 0 ? "some parameters fitted to those up to the holdout date" : "nothing is fitted yet")})";
            bool gmv = c.Rows.Any(r => r.Metric == CalibrationMetric.Gmv);
            string gmvNote = gmv ? "" : "GMV has no target at all";
            string after = c.Beyond(firstDifference)
                ? "; every difference above lies after the last of them" + (gmv ? "" : ", and " + gmvNote)
                : gmv ? "" : "; " + gmvNote;
            return $"*How far to trust this:* {targets}{after}. These are the model's answer to a what-if, not forecasts (section \"How far to trust these numbers\").";
        }

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

        /// <summary>Platforms whose all-tier total of <paramref name="metric"/> moves (significantly, or non-zero without intervals), largest first.</summary>
        public List<int> TotalMovers(int period, CompareMetric metric) =>
            Enumerable.Range(0, P).Select(p => (p, row: Totals.Row(period, metric, Totals.AllTiers, p)))
                .Where(x => Totals.MeanDifference[x.row] != 0 && (!HasIntervals || Totals.Significant[x.row] == true))
                .OrderByDescending(x => Math.Sign(Totals.MeanDifference[x.row])).ThenByDescending(x => Math.Abs(Totals.MeanDifference[x.row]))
                .Select(x => x.p).ToList();

        public bool? TotalSignificant(int row) => Totals.Significant[row];

        /// <summary>"47.2 billion yuan (95 % interval 46.9 billion yuan to 47.5 billion yuan)" as a magnitude.</summary>
        public string TotalWithInterval(int row, bool yuan, bool negate = false)
        {
            Func<double, string> f = yuan ? v => ReportFormat.Yuan(v, signed: false) : v => ReportFormat.People(v, signed: false);
            double s = negate ? -1 : 1;
            string mean = f(s * Totals.MeanDifference[row]);
            if (!HasIntervals) return mean;
            double lo = s * (negate ? Totals.CiHigh[row]!.Value : Totals.CiLow[row]!.Value);
            double hi = s * (negate ? Totals.CiLow[row]!.Value : Totals.CiHigh[row]!.Value);
            return $"{mean} (95 % interval {ReportFormat.Range(lo, hi, yuan, signed: false)}{ShareText(Totals.ParameterShare[row])})";
        }

        /// <summary>"; 70 % of the variance from parameter uncertainty" under a posterior, otherwise nothing.</summary>
        public static string ShareText(double? share) =>
            share is { } v ? $"; {(100 * v).ToString("0", Inv)} % of the variance from parameter uncertainty" : "";

        public string TotalInterval(int row, bool yuan) =>
            HasIntervals ? ReportFormat.Range(Totals.CiLow[row]!.Value, Totals.CiHigh[row]!.Value, yuan) : "—";

        /// <summary>Alliance members, then the two other platforms that move most (or the four that move most without an alliance).</summary>
        public List<int> ChartPlatforms(Movers movers)
        {
            var members = Changes.Alliances.SelectMany(a => a.Members).Select(id => Table.Dimensions.PlatformIds.ToList().IndexOf(id)).Where(p => p >= 0).Distinct().ToList();
            int K = Last;
            var others = Enumerable.Range(0, P).Where(p => !members.Contains(p))
                .OrderByDescending(p => Math.Abs(Table.MeanDifference[Aa(K, p)])).Take(members.Count > 0 ? 2 : 4);
            return members.Concat(others).Order().ToList();
        }

        /// <summary>"3.61 million (95 % interval 2.89 million to 4.33 million)", as a magnitude (negated for losses).</summary>
        public string PeopleWithInterval(int row, bool negate = false, bool compact = false)
        {
            double s = negate ? -1 : 1;
            string mean = ReportFormat.People(s * Table.MeanDifference[row], signed: false);
            if (!HasIntervals) return mean;
            double lo = s * (negate ? Table.CiHigh[row]!.Value : Table.CiLow[row]!.Value);
            double hi = s * (negate ? Table.CiLow[row]!.Value : Table.CiHigh[row]!.Value);
            string range = ReportFormat.Range(lo, hi, yuan: false, signed: false) + ShareText(Table.ParameterShare[row]);
            return compact ? $"{mean}; 95 % interval {range}" : $"{mean} (95 % interval {range})";
        }

        /// <summary>The interval of a people difference, e.g. "+3.28 to +4.21 million".</summary>
        public string Interval(int row) =>
            HasIntervals ? ReportFormat.Range(Table.CiLow[row]!.Value, Table.CiHigh[row]!.Value, yuan: false) : "—";

        public string Pp(int row) =>
            ReportFormat.Pp(Table.MeanDifference[row]) + (HasIntervals ? $" (95 % interval {ReportFormat.Pp(Table.CiLow[row]!.Value)[..^3]} to {ReportFormat.Pp(Table.CiHigh[row]!.Value)})" : "");

        public string MarkLegend => ReportFormat.MarkLegend(HasIntervals);
    }
}
