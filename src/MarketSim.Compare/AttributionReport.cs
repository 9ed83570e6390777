using System.Globalization;
using MarketSim.Charts;

namespace MarketSim.Compare;

/// <summary>The report's attribution section: for each platform the alliance moves most, the split of its effect by clause.</summary>
public static class AttributionReport
{
    /// <summary>The attributed quantities the report shows, in order: metric id, what it is, people or yuan.</summary>
    private static readonly (string Metric, string What, bool Yuan)[] Shown =
    [
        ("annual_active", "annual-active users", false),
        ("gmv", "own GMV", true),
        ("supplied_gmv", "supplied GMV (its goods sold on the host)", true),
    ];

    /// <summary>One-line splits for the console, e.g. "of JD's +3.5 M annual-active users, traffic gives …".</summary>
    public static IReadOnlyList<string> Lines(Attribution a, int platforms = 2) => Lines(a, "annual_active", "annual-active users", false, platforms);

    /// <summary>One-line splits of <paramref name="metric"/> for the platforms it moves most.</summary>
    public static IReadOnlyList<string> Lines(Attribution a, string metric, string what, bool yuan, int platforms = 2)
    {
        ArgumentNullException.ThrowIfNull(a);
        var rows = a.Rows().Where(r => r.Metric == metric).ToList();
        var movers = rows.Where(r => r.Clause == "total" && r.Mean != 0).OrderByDescending(r => Math.Abs(r.Mean)).Take(platforms).ToList();
        var lines = new List<string>();
        foreach (var total in movers)
        {
            string name = a.Dimensions.PlatformNames[a.Dimensions.PlatformIds.ToList().IndexOf(total.Platform)];
            var parts = rows.Where(r => r.Platform == total.Platform && a.Clauses.Contains(r.Clause))
                .OrderByDescending(r => Math.Abs(r.Mean))
                .Select(r => $"{Short(r.Clause)} {Format(r.Mean, yuan)}{Interval(r, yuan)}");
            lines.Add($"Of {name}'s {Format(total.Mean, yuan)}{Interval(total, yuan)} {what} from the clauses: {string.Join(", ", parts)}.");
        }
        return lines;
    }

    /// <summary>Adds the section to the report (called once, near its top).</summary>
    internal static void AddTo(ReportDocument doc, Attribution a, IReadOnlyList<Model.CannotActNote> cannotAct)
    {
        doc.H(2, "Which clause does what (Shapley attribution)");
        doc.P($"The scenario was also run with every combination of its {a.Clauses.Count} clauses switched off " +
              $"({(1 << a.Clauses.Count) - 1} more runs per replication, same seeds). Each clause's share is its Shapley value: its " +
              "contribution averaged over every order in which the clauses could be added, so the shares add up exactly to the effect " +
              "of all clauses together, and a clause that changes nothing gets zero.");
        doc.List(Lines(a, a.Dimensions.Platforms).Take(3)
            .Concat(Lines(a, "gmv", "own GMV", true, 2))
            .Concat(Lines(a, "supplied_gmv", "supplied GMV", true, 1)));
        foreach (var (metric, what, yuan) in Shown)
        {
            var rows = a.Rows().Where(r => r.Metric == metric).ToList();
            // A quantity no run moves (supplied GMV without a supply clause) needs no table of zeros.
            if (rows.All(r => r.Mean == 0)) continue;
            var header = new List<string> { $"{what}: platform" };
            header.AddRange(a.Clauses.Select(c => $"`{Short(c)}`"));
            header.AddRange(["all clauses", "not attributed"]);
            var table = new List<IReadOnlyList<string>>();
            foreach (string p in a.Dimensions.PlatformIds)
            {
                var row = new List<string> { a.Dimensions.PlatformNames[a.Dimensions.PlatformIds.ToList().IndexOf(p)] };
                row.AddRange(a.Clauses.Select(c => Cell(rows.Single(r => r.Platform == p && r.Clause == c), yuan)));
                row.Add(Cell(rows.Single(r => r.Platform == p && r.Clause == "total"), yuan));
                row.Add(Cell(rows.Single(r => r.Platform == p && r.Clause == "not_attributed"), yuan));
                table.Add(row);
            }
            doc.Table(header, table, Enumerable.Range(1, header.Count - 1).ToArray());
        }
        doc.P("Annual-active users at the final step; own GMV (sold on the platform, the host's sales of a partner's goods included) and " +
              "supplied GMV (a partner's goods sold on other platforms) summed over every step; all tiers, mean over replications " +
              "[95 % interval]. A co-promotion's line is the festival part of the alliance: what promoting the co-promoted festival " +
              "occurrences together adds. \"Not attributed\" is what the scenario changes besides these clauses (every clause off − " +
              "baseline), e.g. a festival or other calendar difference it adds. attribution.parquet also holds primary share and the " +
              "supplied slice's orders (supplied_orders).");
        var notes = cannotAct.Where(n => a.Clauses.Any(c => n.Path == c || n.Path.StartsWith(c + "[", StringComparison.Ordinal))).ToList();
        if (notes.Count > 0)
        {
            doc.P("Where a clause cannot act, its share there is zero whatever its size:");
            doc.List(notes.Select(n => $"`{Short(n.Path)}` {n.Message}."));
        }
        var others = cannotAct.Except(notes).ToList();
        if (others.Count > 0) CompareReport.CannotActSection(doc, others);
    }

    private static string Cell(AttributionRow r, bool yuan) => Format(r.Mean, yuan) + Interval(r, yuan);

    private static string Format(double v, bool yuan) => yuan ? ReportFormat.Yuan(v) : CompareReport.FormatPeople(v);

    private static string Interval(AttributionRow r, bool yuan) => r.Low is { } l && r.High is { } h
        ? string.Create(CultureInfo.InvariantCulture, $" [{Format(l, yuan)}, {Format(h, yuan)}]") : "";

    /// <summary>A clause without the alliance prefix when there is one alliance: <c>alliances.jd-kuaishou.traffic</c> → <c>jd-kuaishou.traffic</c>.</summary>
    private static string Short(string clause) => clause.StartsWith("alliances.", StringComparison.Ordinal) ? clause["alliances.".Length..] : clause;
}
