namespace MarketSim.Scenarios;

/// <summary>
/// The plausible ranges of a scenario's <c>assumptions:</c> section, keyed by <c>--set</c> path: a path takes the range of
/// the entry for its own path, or else of the nearest entry above it (<c>platforms.jd.reach</c> for
/// <c>platforms.jd.reach.t3</c>). Read by the studio's sliders and the posterior's priors.
/// </summary>
public static class PlausibleRanges
{
    /// <summary>The plausible range of <paramref name="path"/>, the key it comes from and that entry; null when none applies.</summary>
    public static (double Low, double High, string Key, AssumptionSpec Entry)? For(Scenario scenario, string path)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(path);
        foreach (var key in Ancestors(path))
            if (scenario.Assumptions.TryGetValue(key, out var a) && a.Plausible.Count == 2)
                return (a.Plausible[0], a.Plausible[1], key, a);
        return null;
    }

    /// <summary>The path, then each path above it: <c>a.b[0].c</c>, <c>a.b[0]</c>, <c>a.b</c>, <c>a</c>.</summary>
    private static IEnumerable<string> Ancestors(string path)
    {
        for (string p = path; p.Length > 0;)
        {
            yield return p;
            int cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            p = cut > 0 ? p[..cut] : "";
        }
    }
}
