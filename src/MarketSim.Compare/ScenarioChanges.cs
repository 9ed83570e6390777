using System.Globalization;
using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Compare;

/// <summary>An alliance the scenario has and the baseline does not: what the strategist is asking about.</summary>
/// <param name="Name">Display name.</param>
/// <param name="Start">First day in force.</param>
/// <param name="Members">Member platform ids.</param>
/// <param name="End">Last day in force, if it ends.</param>
/// <param name="Supply">(host, partner) of each supply clause: the partner's goods are sold on the host.</param>
/// <param name="CoPromotedFestivals">
/// The festival occurrences the alliance co-promotes within the run (<see cref="ScenarioMilestones.CoPromotionWindows"/>),
/// in date order: part of the alliance's effect is these festivals, and the report says so.
/// </param>
/// <param name="EveryOccurrence">True when the scenario co-promotes every occurrence of its festivals while the alliance runs.</param>
public sealed record AddedAlliance(string Name, DateOnly Start, IReadOnlyList<string> Members, DateOnly? End = null,
    IReadOnlyList<(string Host, string Partner)>? Supply = null, IReadOnlyList<FestivalOccurrence>? CoPromotedFestivals = null,
    bool EveryOccurrence = false)
{
    /// <summary>Alliances of <paramref name="scenario"/> whose id the baseline does not have.</summary>
    public static IReadOnlyList<AddedAlliance> Between(Scenario scenario, Scenario baseline) =>
        ScenarioChanges.Between(scenario, baseline).Alliances;
}

/// <summary>An intervention the scenario adds or sets differently from the baseline.</summary>
/// <param name="Id">Intervention id.</param>
/// <param name="Platform">Platform id.</param>
/// <param name="Description">What it does, e.g. "reach +0.1 in t3, t4 from 19 Sep 2019".</param>
/// <param name="Start">First day in force.</param>
/// <param name="End">Last day, if any.</param>
/// <param name="Changed">True when the baseline has an intervention of that id set differently; false when it is new.</param>
/// <param name="Label">Chart label in plain words (<see cref="ScenarioMilestones.Label"/>), e.g. "JD.com: wider marketing reach".</param>
public sealed record ChangedIntervention(string Id, string Platform, string Description, DateOnly Start, DateOnly? End, bool Changed, string Label = "");

/// <summary>One dated thing in which the two arms' calendars differ: a festival, an intervention or an alliance's dates.</summary>
/// <param name="Kind">"festival", "intervention" or "alliance".</param>
/// <param name="Id">Its id in the scenario files.</param>
/// <param name="Text">What differs, in words, e.g. "Kuaishou 616 (16 Jun 2020; window from 13 Jun): in the scenario only".</param>
/// <param name="Owned">
/// True when the difference is the what-if itself (an alliance or intervention the scenario adds, removes or sets
/// differently, or a festival marked <c>what_if: true</c>); false for a festival in one arm only (or set differently)
/// that the scenario does not own: its effect is mixed into every difference and the report flags it.
/// </param>
/// <param name="Name">Display name (the id when it has none).</param>
public sealed record CalendarDifference(string Kind, string Id, string Text, bool Owned, string Name = "")
{
    /// <summary>The display name, else the id.</summary>
    public string Shown => Name.Length > 0 ? Name : Id;
}

/// <summary>A dated event worth marking on a chart.</summary>
/// <param name="Date">Day.</param>
/// <param name="Label">Short label.</param>
public sealed record ChartEvent(DateOnly Date, string Label);

/// <summary>
/// What the scenario changes relative to its baseline, read from the two scenario files: the report states it in
/// words and the charts mark its dates.
/// </summary>
/// <param name="Alliances">Alliances added.</param>
/// <param name="Interventions">Interventions added or changed.</param>
/// <param name="Calendar">Every dated difference between the arms (festivals, interventions, alliances), owned or not.</param>
public sealed record ScenarioChanges(IReadOnlyList<AddedAlliance> Alliances, IReadOnlyList<ChangedIntervention> Interventions,
    IReadOnlyList<CalendarDifference>? Calendar = null)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// The scenario's interventions and clauses that cannot act (or act only in part) somewhere in the run, with the
    /// reason (<see cref="MarketModel.CannotAct"/>): the report and the attribution say so.
    /// </summary>
    public IReadOnlyList<CannotActNote> CannotAct { get; init; } = [];

    /// <summary>
    /// The assumptions behind what the scenario adds (its <c>assumptions:</c> entries under the alliances it adds, in
    /// file order): the report's trust section lists their values, sources and plausible ranges.
    /// </summary>
    public IReadOnlyList<(string Path, string Value, AssumptionSpec Assumption)> Assumptions { get; init; } = [];

    /// <summary>No change known (tests that build a report from a table alone).</summary>
    public static ScenarioChanges None { get; } = new([], []);

    /// <summary>The calendar differences the scenario does not own (see <see cref="CalendarDifference.Owned"/>).</summary>
    public IReadOnlyList<CalendarDifference> Unowned => (Calendar ?? []).Where(c => !c.Owned).ToList();

    /// <summary>
    /// Every dated difference between the two arms' calendars, in the order festivals, alliances, interventions (each in
    /// file order): what a reader must know to tell which events a difference may rest on.
    /// </summary>
    public static IReadOnlyList<CalendarDifference> CalendarBetween(Scenario scenario, Scenario baseline)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(baseline);
        var list = new List<CalendarDifference>();
        var runStart = scenario.Calendar.Start;
        var runEnd = runStart.AddDays(scenario.Calendar.Steps * scenario.Calendar.StepDays - 1);
        string Festival(FestivalSpec f, string id)
        {
            var days = f.Days(runStart.Year - 1, runEnd.Year + 1).Distinct().Where(d => d.AddDays(-f.LeadDays) <= runEnd && d >= runStart).Order().ToList();
            string when = f.Annual is { } a ? $"every {a}" : f.Lunar is { } l ? $"lunar {l} every year" : "";
            string listed = days.Count == 0 ? "no day in the run" : days.Count <= 3 ? string.Join(", ", days.Select(Day)) : $"{days.Count} days in the run";
            string lead = f.LeadDays > 0 ? $", window {f.LeadDays.ToString(Inv)} days before" : "";
            return $"{(f.Name.Length > 0 ? f.Name : id)} ({(when.Length > 0 ? when + ": " : "")}{listed}{lead})";
        }
        foreach (var (id, f) in scenario.Calendar.Festivals)
        {
            bool owned = f.WhatIf == true;
            // A launch clause owns the event: attribution gives it a line of its own (alliances.ID.launch).
            string launched = scenario.Alliances.Where(a => a.Value.Launch?.Festivals.Contains(id) == true)
                .Select(a => $": launched by alliance {(a.Value.Name.Length > 0 ? a.Value.Name : a.Key)} (its clause `alliances.{a.Key}.launch`)")
                .FirstOrDefault() ?? "";
            if (!baseline.Calendar.Festivals.TryGetValue(id, out var b))
                list.Add(new CalendarDifference("festival", id, $"festival {Festival(f, id)}, in the scenario only{launched}", owned, f.Name));
            else if (FestivalKey(b) != FestivalKey(f))
                list.Add(new CalendarDifference("festival", id, $"festival {Festival(f, id)}, set differently in the baseline ({Festival(b, id)})", owned, f.Name));
        }
        foreach (var (id, b) in baseline.Calendar.Festivals)
            if (!scenario.Calendar.Festivals.ContainsKey(id))
                list.Add(new CalendarDifference("festival", id, $"festival {Festival(b, id)}, in the baseline only", false, b.Name));
        string Period(AllianceSpec a) => $"from {Day(a.Start)}" + (a.End is { } e ? $" to {Day(e)}" : "");
        foreach (var (id, a) in scenario.Alliances)
        {
            string name = a.Name.Length > 0 ? a.Name : id;
            if (!baseline.Alliances.TryGetValue(id, out var b)) list.Add(new CalendarDifference("alliance", id, $"alliance {name} {Period(a)}, in the scenario only", true));
            else if (a.Start != b.Start || a.End != b.End)
                list.Add(new CalendarDifference("alliance", id, $"alliance {name} {Period(a)} (baseline: {Period(b)})", true));
        }
        foreach (var (id, b) in baseline.Alliances)
            if (!scenario.Alliances.ContainsKey(id))
                list.Add(new CalendarDifference("alliance", id, $"alliance {(b.Name.Length > 0 ? b.Name : id)} {Period(b)}, in the baseline only", true));
        foreach (var (id, iv) in scenario.Interventions)
        {
            if (!baseline.Interventions.TryGetValue(id, out var b))
                list.Add(new CalendarDifference("intervention", id, $"intervention `{id}` ({ScenarioMilestones.PlatformName(scenario, iv.Platform)}'s {ScenarioMilestones.Describe(iv)}), in the scenario only", true));
            else if (Key(b) != Key(iv))
                list.Add(new CalendarDifference("intervention", id, $"intervention `{id}`: {ScenarioMilestones.Describe(iv)} (baseline: {ScenarioMilestones.Describe(b)})", true));
        }
        foreach (var (id, b) in baseline.Interventions)
            if (!scenario.Interventions.ContainsKey(id))
                list.Add(new CalendarDifference("intervention", id, $"intervention `{id}` ({ScenarioMilestones.PlatformName(baseline, b.Platform)}'s {ScenarioMilestones.Describe(b)}), in the baseline only", true));
        return list;
    }

    private static string Day(DateOnly d) => d.ToString("d MMM yyyy", Inv);

    private static string FestivalKey(FestivalSpec f) => string.Join("|", f.Name, f.Annual ?? "", f.Lunar ?? "",
        string.Join(",", f.Dates.Select(d => d.ToString("O", Inv))), f.LeadDays.ToString(Inv), f.SpendMultiplier.ToString("R", Inv),
        f.AttentionMultiplier.ToString("R", Inv));

    /// <summary>Compares the two scenarios.</summary>
    public static ScenarioChanges Between(Scenario scenario, Scenario baseline)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(baseline);
        var alliances = scenario.Alliances.Where(a => !baseline.Alliances.ContainsKey(a.Key)).Select(a =>
        {
            var spec = a.Value;
            return new AddedAlliance(spec.Name.Length > 0 ? spec.Name : a.Key, spec.Start, spec.Members.ToList(), spec.End,
                spec.Supply.Select(s => (s.Host, s.Partner)).ToList(), ScenarioMilestones.CoPromotionWindows(scenario, spec),
                spec.CoPromotion?.EveryOccurrence ?? false);
        }).ToList();

        var interventions = new List<ChangedIntervention>();
        foreach (var (id, iv) in scenario.Interventions)
        {
            bool existed = baseline.Interventions.TryGetValue(id, out var old);
            if (existed && Key(old!) == Key(iv)) continue;
            interventions.Add(new ChangedIntervention(id, iv.Platform, ScenarioMilestones.Describe(iv), iv.Start, iv.End, existed,
                ScenarioMilestones.Label(iv, ScenarioMilestones.PlatformName(scenario, iv.Platform))));
        }
        var added = scenario.Alliances.Keys.Where(id => !baseline.Alliances.ContainsKey(id)).Select(id => $"alliances.{id}").ToList();
        var values = ScenarioValues.Of(scenario);
        var assumptions = scenario.Assumptions
            .Where(a => added.Any(id => a.Key == id || a.Key.StartsWith(id + ".", StringComparison.Ordinal)))
            .Select(a => (a.Key, string.Join(", ", values.Where(v => v.IsUnder(a.Key)).Select(v => v.Get() switch
            {
                double d => d.ToString("0.###", Inv),
                DateOnly day => day.ToString("yyyy-MM-dd", Inv),
                { } o => Convert.ToString(o, Inv) ?? "",
                null => "",
            })), a.Value))
            .ToList();
        return new ScenarioChanges(alliances, interventions, CalendarBetween(scenario, baseline))
        {
            CannotAct = new MarketModel(scenario).CannotAct(),
            Assumptions = assumptions,
        };
    }

    /// <summary>
    /// Dates to mark on charts: alliance starts and ends, added or changed interventions, and the co-promoted
    /// festivals; events less than <paramref name="mergeDays"/> apart share one marker so labels do not collide.
    /// </summary>
    public IReadOnlyList<ChartEvent> Events(Func<string, string> platformName, int mergeDays = 21)
    {
        var raw = new List<ChartEvent>();
        foreach (var a in Alliances)
        {
            raw.Add(new ChartEvent(a.Start, $"{a.Name} starts"));
            if (a.End is { } e) raw.Add(new ChartEvent(e, $"{a.Name} ends"));
            // Marked where the co-promotion starts to act: a window opening before the alliance acts from its start.
            foreach (var o in a.CoPromotedFestivals ?? []) raw.Add(new ChartEvent(o.From > a.Start ? o.From : a.Start, $"{o.Name} co-promotion"));
        }
        foreach (var iv in Interventions)
            raw.Add(new ChartEvent(iv.Start, iv.Label.Length > 0 ? iv.Label : $"{platformName(iv.Platform)} {iv.Description.Split(" in ")[0].Split(" from ")[0]}"));
        return Merge(raw, mergeDays);
    }

    /// <summary>Sorts events and joins those closer than <paramref name="mergeDays"/> to the first of their group.</summary>
    public static IReadOnlyList<ChartEvent> Merge(IEnumerable<ChartEvent> events, int mergeDays) =>
        MarketSim.Charts.ChartStyle.MergeEvents(events.Select(e => (e.Date, e.Label)), mergeDays).Select(e => new ChartEvent(e.Date, e.Label)).ToList();

    private static string Key(InterventionSpec iv) => string.Join("|", iv.Platform, iv.Attribute, iv.Start.ToString("O", Inv),
        iv.End?.ToString("O", Inv) ?? "", string.Join(",", iv.Tiers), iv.Multiply.ToString("R", Inv), iv.Add.ToString("R", Inv),
        iv.RampDays.ToString(Inv));
}
