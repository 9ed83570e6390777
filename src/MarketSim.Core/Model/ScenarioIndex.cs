namespace MarketSim.Model;

/// <summary>How compiled interventions and alliance clauses turn a validated scenario's ids into array indices.</summary>
internal static class ScenarioIndex
{
    /// <summary>Position of <paramref name="id"/> in <paramref name="ids"/>; the scenario was validated, so it is there.</summary>
    public static int Of(IReadOnlyList<string> ids, string id)
    {
        for (int i = 0; i < ids.Count; i++) if (ids[i] == id) return i;
        throw new ArgumentException($"unknown id '{id}' (the scenario was not validated)", nameof(id));
    }

    /// <summary>Per tier, whether a clause's tier list includes it: all tiers when the list is empty.</summary>
    public static bool[] TierMask(IReadOnlyList<string> tiers, IReadOnlyList<string> tierIds) =>
        tierIds.Select(id => tiers.Count == 0 || tiers.Contains(id)).ToArray();
}
