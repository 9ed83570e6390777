namespace MarketSim.Cli.Runs;

/// <summary>What the user asked of <c>marketsim run</c>.</summary>
/// <param name="ScenarioPath">Scenario file.</param>
/// <param name="Agents">Agent count overriding the scenario's, if given.</param>
/// <param name="Seed">Seed overriding the scenario's, if given.</param>
/// <param name="Threads">Worker threads, 0 = all cores.</param>
/// <param name="OutputFolder">Exact output folder, or null for output/&lt;scenario&gt;/&lt;run-id&gt;.</param>
/// <param name="Charts">Whether to render charts (the scenario may also turn them off).</param>
/// <param name="DryRun">Only validate and print the memory estimate.</param>
public sealed record RunRequest(string ScenarioPath, long? Agents, ulong? Seed, int Threads, string? OutputFolder,
    bool Charts = true, bool DryRun = false)
{
    /// <summary>Scenario overrides as dotted paths, in the loader's format.</summary>
    public IReadOnlyDictionary<string, string> Overrides()
    {
        var o = new Dictionary<string, string>();
        if (Agents is { } a) o["population.agents"] = a.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Seed is { } s) o["seed"] = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return o;
    }
}
