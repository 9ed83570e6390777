using System.Globalization;

namespace MarketSim.Scenarios;

/// <summary>
/// The dated changes a scenario makes (alliances starting and ending, interventions starting), in words short enough
/// for a chart label: what run charts mark and compare reports describe.
/// </summary>
public static class ScenarioMilestones
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Alliance starts and ends and intervention starts that fall after the first day of the run and within it,
    /// in date order.
    /// </summary>
    public static IReadOnlyList<(DateOnly Date, string Label)> Of(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var c = scenario.Calendar;
        var end = c.Start.AddDays(c.Steps * c.StepDays - 1);
        var list = new List<(DateOnly, string)>();
        foreach (var (id, a) in scenario.Alliances)
        {
            string name = a.Name.Length > 0 ? a.Name : id;
            list.Add((a.Start, $"{name} starts"));
            if (a.End is { } e) list.Add((e, $"{name} ends"));
            // Marked where the co-promotion starts to act: a window opening before the alliance acts from its start.
            foreach (var o in CoPromotionWindows(scenario, a)) list.Add((o.From > a.Start ? o.From : a.Start, $"{o.Name} co-promotion"));
        }
        foreach (var (_, iv) in scenario.Interventions)
            list.Add((iv.Start, Label(iv, PlatformName(scenario, iv.Platform))));
        return list.Where(x => x.Item1 > c.Start && x.Item1 <= end).OrderBy(x => x.Item1).ToList();
    }

    /// <summary>
    /// The festival occurrences an alliance co-promotes that fall in the run, in date order: the occurrences its
    /// co-promotion selects (years, dates or every occurrence), whose festival day is on or after the alliance's start
    /// and whose window opens by its end, and whose window overlaps the run. One list for the model (the steps it
    /// acts in), the run charts and the compare report (what it says the alliance co-promotes).
    /// </summary>
    public static IReadOnlyList<FestivalOccurrence> CoPromotionWindows(Scenario scenario, AllianceSpec alliance)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(alliance);
        var c = scenario.Calendar;
        var runEnd = c.Start.AddDays(c.Steps * c.StepDays - 1);
        return CoPromoted(scenario, alliance, c.Start.Year - 1, runEnd.Year + 1)
            .Where(o => o.Day >= c.Start && o.From <= runEnd).ToList();
    }

    /// <summary>
    /// The occurrences an alliance's co-promotion selects whose festival day is in years
    /// <paramref name="firstYear"/>..<paramref name="lastYear"/> and which lie in the alliance's period (festival day
    /// on or after its start, window opening on or before its end), in date order. Unknown festival ids are skipped
    /// (the validator reports them).
    /// </summary>
    public static IReadOnlyList<FestivalOccurrence> CoPromoted(Scenario scenario, AllianceSpec alliance, int firstYear, int lastYear)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(alliance);
        if (alliance.CoPromotion is not { } promo) return [];
        var to = alliance.End ?? DateOnly.MaxValue;
        var list = new List<FestivalOccurrence>();
        foreach (var id in promo.Festivals.Distinct())
        {
            if (!scenario.Calendar.Festivals.TryGetValue(id, out var f)) continue;
            string name = f.Name.Length > 0 ? f.Name : id;
            foreach (var day in f.Days(firstYear, lastYear).Distinct())
            {
                var from = DateOnly.FromDayNumber(Math.Max(0, day.DayNumber - f.LeadDays));
                if (day.Year >= firstYear && day.Year <= lastYear && promo.Selects(day) && day >= alliance.Start && from <= to)
                    list.Add(new FestivalOccurrence(id, name, day, from));
            }
        }
        return list.OrderBy(o => o.From).ThenBy(o => o.FestivalId, StringComparer.Ordinal).ToList();
    }

    /// <summary>A platform's display name, or its id.</summary>
    public static string PlatformName(Scenario scenario, string id) =>
        scenario.Platforms.TryGetValue(id, out var p) && p.Name.Length > 0 ? p.Name : id;

    /// <summary>
    /// A chart label for an intervention in plain words, e.g. "Pinduoduo: bigger subsidies" or "JD.com: wider marketing
    /// reach (t3–t6)": what a reader of the chart needs, not the parameter and its raw change (the report's text has those).
    /// </summary>
    public static string Label(InterventionSpec iv, string platformName)
    {
        ArgumentNullException.ThrowIfNull(iv);
        int direction = iv.Multiply > 1 || (iv.Multiply == 1 && iv.Add > 0) ? 1 : iv.Multiply < 1 || (iv.Multiply == 1 && iv.Add < 0) ? -1 : 0;
        if (iv.Multiply != 1 && iv.Add != 0 && Math.Sign(iv.Multiply - 1) != Math.Sign(iv.Add)) direction = 0;
        (string Up, string Down) words = iv.Attribute switch
        {
            "brand" => ("stronger brand", "weaker brand"),
            "price_level" => ("higher prices", "lower prices"),
            "quality" => ("better quality", "lower quality"),
            "assortment" => ("wider assortment", "narrower assortment"),
            "content" => ("more live content", "less live content"),
            "social" => ("more social buying", "less social buying"),
            "subsidy" => ("bigger subsidies", "smaller subsidies"),
            "delivery_days" => ("slower delivery", "faster delivery"),
            "reach" => ("wider marketing reach", "narrower marketing reach"),
            "basket" => ("larger baskets", "smaller baskets"),
            _ => ($"more {iv.Attribute.Replace('_', ' ')}", $"less {iv.Attribute.Replace('_', ' ')}"),
        };
        string what = direction > 0 ? words.Up : direction < 0 ? words.Down : $"{iv.Attribute.Replace('_', ' ')} changed";
        string tiers = iv.Tiers.Count == 0 ? "" : iv.Tiers.Count <= 2 ? $" ({string.Join(", ", iv.Tiers)})" : $" ({iv.Tiers[0]}\u2013{iv.Tiers[^1]})";
        return $"{platformName}: {what}{tiers}";
    }

    /// <summary>What an intervention does in words, e.g. "reach +0.1 in t3, t4 from 19 Sep 2019, ramped over 180 days".</summary>
    public static string Describe(InterventionSpec iv)
    {
        ArgumentNullException.ThrowIfNull(iv);
        string tiers = iv.Tiers.Count > 0 ? $" in {string.Join(", ", iv.Tiers)}" : "";
        string ramp = iv.RampDays > 0 ? $", ramped over {iv.RampDays.ToString(Inv)} days" : "";
        string end = iv.End is { } e ? $" to {e.ToString("d MMM yyyy", Inv)}" : "";
        return $"{iv.Attribute.Replace('_', ' ')} {Change(iv)}{tiers} from {iv.Start.ToString("d MMM yyyy", Inv)}{end}{ramp}";
    }

    private static string Change(InterventionSpec iv)
    {
        var parts = new List<string>();
        if (iv.Multiply != 1) parts.Add("×" + iv.Multiply.ToString("0.###", Inv));
        if (iv.Add != 0) parts.Add((iv.Add > 0 ? "+" : "\u2212") + Math.Abs(iv.Add).ToString("0.###", Inv));
        return parts.Count > 0 ? string.Join(" ", parts) : "unchanged";
    }
}

/// <summary>One occurrence of a festival: its window runs from <paramref name="From"/> to <paramref name="Day"/>.</summary>
/// <param name="FestivalId">Festival id in the scenario's calendar.</param>
/// <param name="Name">Display name (the id when it has none).</param>
/// <param name="Day">The festival day, last day of the window.</param>
/// <param name="From">First day of the window (lead_days before the day).</param>
public readonly record struct FestivalOccurrence(string FestivalId, string Name, DateOnly Day, DateOnly From);
