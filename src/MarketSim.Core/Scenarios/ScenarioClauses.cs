using MarketSim.Model.Alliances;

namespace MarketSim.Scenarios;

/// <summary>
/// The separable parts of a what-if that can be switched off one by one: each clause of an alliance (supply,
/// logistics, traffic, co-promotion), a whole alliance, and each intervention. Named by scenario paths
/// (<c>alliances.jd-kuaishou.traffic</c>, <c>alliances.jd-kuaishou</c>, <c>interventions.pdd_ten_billion_subsidy</c>)
/// so that sweep files, the command line and reports speak of them as the scenario file does. Switching a part off
/// leaves everything else, the seed included, untouched: under common random numbers the difference between the two
/// runs is that part's effect. The clause kinds are <see cref="AllianceClauseKind.All"/>: a kind added there is
/// attributed and switched off without a change here.
/// </summary>
public static class ScenarioClauses
{
    /// <summary>Clause keys of an alliance, in the order they are listed.</summary>
    public static IReadOnlyList<string> AllianceClauseKeys { get; } = [.. AllianceClauseKind.All.Select(k => k.Key)];

    /// <summary>
    /// The clauses <paramref name="scenario"/> adds to <paramref name="baseline"/>: every non-empty clause of each
    /// alliance the baseline does not have (by id), then each intervention the baseline does not have, in file order.
    /// </summary>
    public static IReadOnlyList<string> AddedClauses(Scenario scenario, Scenario baseline)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(baseline);
        var clauses = new List<string>();
        foreach (var (id, a) in scenario.Alliances)
        {
            if (baseline.Alliances.ContainsKey(id)) continue;
            foreach (var kind in AllianceClauseKind.All)
                if (kind.IsPresent(a)) clauses.Add($"alliances.{id}.{kind.Key}");
        }
        foreach (var id in scenario.Interventions.Keys)
            if (!baseline.Interventions.ContainsKey(id)) clauses.Add($"interventions.{id}");
        return clauses;
    }

    /// <summary>Why <paramref name="path"/> names no part of <paramref name="scenario"/> that can be switched off; null when it does.</summary>
    public static string? Explain(Scenario scenario, string path)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Split('.');
        if (parts.Length == 2 && parts[0] == "interventions")
            return scenario.Interventions.ContainsKey(parts[1]) ? null
                : $"the scenario has no intervention '{parts[1]}'{KeySuggestions.For(parts[1], scenario.Interventions.Keys.ToList())}";
        if (parts[0] == "alliances" && parts.Length is 2 or 3)
        {
            if (!scenario.Alliances.TryGetValue(parts[1], out var a))
                return $"the scenario has no alliance '{parts[1]}'{KeySuggestions.For(parts[1], scenario.Alliances.Keys.ToList())}";
            if (parts.Length == 2) return null;
            if (Kind(parts[2]) is not { } kind)
                return $"an alliance's clauses are {string.Join(", ", AllianceClauseKeys)}; found '{parts[2]}'{KeySuggestions.For(parts[2], AllianceClauseKeys.ToList())}";
            return kind.IsPresent(a) ? null : $"alliance '{parts[1]}' has no {parts[2]} clause";
        }
        return $"expected alliances.ID, alliances.ID.{{{string.Join("|", AllianceClauseKeys)}}} or interventions.ID, found '{path}'";
    }

    /// <summary>Switches off the part named by <paramref name="path"/> (which <see cref="Explain"/> accepts) in place.</summary>
    public static void SwitchOff(Scenario scenario, string path)
    {
        if (Explain(scenario, path) is { } why) throw new ArgumentException(why, nameof(path));
        var parts = path.Split('.');
        if (parts[0] == "interventions")
        {
            scenario.Interventions.Remove(parts[1]);
            return;
        }
        var alliance = scenario.Alliances[parts[1]];
        if (parts.Length == 2)
        {
            // The whole alliance goes with what its clauses brought into the calendar (a launch's festivals).
            foreach (var kind in AllianceClauseKind.All) kind.SwitchOff(scenario, alliance);
            scenario.Alliances.Remove(parts[1]);
            return;
        }
        Kind(parts[2])!.SwitchOff(scenario, alliance);
    }

    private static AllianceClauseKind? Kind(string key) => AllianceClauseKind.All.FirstOrDefault(k => k.Key == key);
}
