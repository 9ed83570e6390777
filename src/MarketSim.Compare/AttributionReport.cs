using System.Globalization;

namespace MarketSim.Compare;

/// <summary>The report's attribution section: for each platform the alliance moves most, the split of its effect by clause.</summary>
public static class AttributionReport
{
    /// <summary>One-line splits for the console, e.g. "of JD's +3.5 M annual-active users, traffic gives …".</summary>
    public static IReadOnlyList<string> Lines(Attribution a, int platforms = 2)
    {
        var rows = a.Rows().Where(r => r.Metric == "annual_active").ToList();
        var movers = rows.Where(r => r.Clause == "total").OrderByDescending(r => Math.Abs(r.Mean)).Take(platforms).ToList();
        var lines = new List<string>();
        foreach (var total in movers)
        {
            string name = a.Dimensions.PlatformNames[a.Dimensions.PlatformIds.ToList().IndexOf(total.Platform)];
            var parts = rows.Where(r => r.Platform == total.Platform && a.Clauses.Contains(r.Clause))
                .OrderByDescending(r => Math.Abs(r.Mean))
                .Select(r => $"{Short(r.Clause)} {CompareReport.FormatPeople(r.Mean)}{Interval(r)}");
            lines.Add($"Of {name}'s {CompareReport.FormatPeople(total.Mean)}{Interval(total)} annual-active users from the clauses: {string.Join(", ", parts)}.");
        }
        return lines;
    }

    /// <summary>Adds the section to the report (called once, near its top).</summary>
    internal static void AddTo(ReportDocument doc, Attribution a)
    {
        doc.H(2, "Which clause does what (Shapley attribution)");
        doc.P($"The scenario was also run with every combination of its {a.Clauses.Count} clauses switched off " +
              $"({(1 << a.Clauses.Count) - 1} more runs per replication, same seeds). Each clause's share is its Shapley value: its " +
              "contribution averaged over every order in which the clauses could be added, so the shares add up exactly to the effect " +
              "of all clauses together, and a clause that changes nothing gets zero.");
        doc.List(Lines(a, a.Dimensions.Platforms).Take(3));
        var rows = a.Rows().Where(r => r.Metric == "annual_active").ToList();
        var header = new List<string> { "platform" };
        header.AddRange(a.Clauses.Select(c => $"`{Short(c)}`"));
        header.AddRange(["all clauses", "not attributed"]);
        var table = new List<IReadOnlyList<string>>();
        foreach (string p in a.Dimensions.PlatformIds)
        {
            var row = new List<string> { a.Dimensions.PlatformNames[a.Dimensions.PlatformIds.ToList().IndexOf(p)] };
            row.AddRange(a.Clauses.Select(c => Cell(rows.Single(r => r.Platform == p && r.Clause == c))));
            row.Add(Cell(rows.Single(r => r.Platform == p && r.Clause == "total")));
            row.Add(Cell(rows.Single(r => r.Platform == p && r.Clause == "not_attributed")));
            table.Add(row);
        }
        doc.Table(header, table, Enumerable.Range(1, header.Count - 1).ToArray());
        doc.P("Annual-active users at the final step, all tiers, mean over replications [95 % interval]. \"Not attributed\" is what the " +
              "scenario changes besides these clauses (every clause off − baseline), e.g. a festival it adds. attribution.parquet also holds " +
              "primary share and GMV.");
    }

    private static string Cell(AttributionRow r) => CompareReport.FormatPeople(r.Mean) + Interval(r);

    private static string Interval(AttributionRow r) => r.Low is { } l && r.High is { } h
        ? string.Create(CultureInfo.InvariantCulture, $" [{CompareReport.FormatPeople(l)}, {CompareReport.FormatPeople(h)}]") : "";

    /// <summary>A clause without the alliance prefix when there is one alliance: <c>alliances.jd-kuaishou.traffic</c> → <c>jd-kuaishou.traffic</c>.</summary>
    private static string Short(string clause) => clause.StartsWith("alliances.", StringComparison.Ordinal) ? clause["alliances.".Length..] : clause;
}
