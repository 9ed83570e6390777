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
            foreach (var (festival, from) in CoPromotionWindows(scenario, a)) list.Add((from, $"{festival} co-promotion"));
        }
        foreach (var (_, iv) in scenario.Interventions)
            list.Add((iv.Start, Label(iv, PlatformName(scenario, iv.Platform))));
        return list.Where(x => x.Item1 > c.Start && x.Item1 <= end).OrderBy(x => x.Item1).ToList();
    }

    /// <summary>
    /// The co-promoted festivals of an alliance: display name and first day of each festival window (the festival
    /// acts from lead_days before its day, and so do the kinks it makes) that starts within the alliance's period
    /// inside the run.
    /// </summary>
    public static IReadOnlyList<(string Festival, DateOnly From)> CoPromotionWindows(Scenario scenario, AllianceSpec alliance)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(alliance);
        var c = scenario.Calendar;
        var runEnd = c.Start.AddDays(c.Steps * c.StepDays - 1);
        var to = alliance.End is { } e && e < runEnd ? e : runEnd;
        return (alliance.CoPromotion?.Festivals ?? [])
            .Where(scenario.Calendar.Festivals.ContainsKey)
            .SelectMany(id =>
            {
                var f = scenario.Calendar.Festivals[id];
                string name = f.Name.Length > 0 ? f.Name : id;
                return f.Days(alliance.Start.Year, to.Year + 1).Select(d => d.AddDays(-f.LeadDays))
                    .Where(d => d >= alliance.Start && d <= to).Select(d => (name, d));
            })
            .OrderBy(x => x.d).ToList();
    }

    /// <summary>A platform's display name, or its id.</summary>
    public static string PlatformName(Scenario scenario, string id) =>
        scenario.Platforms.TryGetValue(id, out var p) && p.Name.Length > 0 ? p.Name : id;

    /// <summary>A chart label for an intervention, e.g. "Pinduoduo subsidy +0.15".</summary>
    public static string Label(InterventionSpec iv, string platformName) => $"{platformName} {iv.Attribute.Replace('_', ' ')} {Change(iv)}";

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
