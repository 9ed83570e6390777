using MarketSim.ScenarioFiles;

namespace MarketSim.Cli.Runs;

/// <summary>What the user asked of <c>marketsim run</c>.</summary>
/// <param name="ScenarioPath">Scenario file; null when resuming (the checkpoint holds the scenario).</param>
/// <param name="Agents">Agent count overriding the scenario's, if given.</param>
/// <param name="Seed">Seed overriding the scenario's, if given.</param>
/// <param name="Threads">Worker threads, 0 = all cores.</param>
/// <param name="OutputFolder">Exact output folder, or null for output/&lt;scenario&gt;/&lt;run-id&gt;.</param>
/// <param name="Charts">Whether to render charts (the scenario may also turn them off).</param>
/// <param name="DryRun">Only validate and print the memory estimate.</param>
/// <param name="CheckpointEvery">Save a checkpoint every this many steps (and on interruption); 0 = never.</param>
/// <param name="ResumeFolder">Continue the interrupted run in this folder from its checkpoint.</param>
/// <param name="MaxMemoryBytes">Refuse runs estimated to need more than this; null = the memory available.</param>
/// <param name="Sets"><c>--set path=value</c> overrides, in the order given (checked by the command's validator).</param>
/// <param name="Json">Print the dry run's plan as JSON on stdout.</param>
/// <param name="Posterior">Also run K parameter sets drawn from a posterior ensemble and write their 90 % bands (<c>--posterior K</c>).</param>
/// <param name="Ensemble">The ensemble file, or null for the one beside the scenario's <c>fitted_by</c> calibration.</param>
public sealed record RunRequest(string? ScenarioPath, long? Agents, ulong? Seed, int Threads, string? OutputFolder,
    bool Charts = true, bool DryRun = false, int CheckpointEvery = 0, string? ResumeFolder = null, long? MaxMemoryBytes = null,
    IReadOnlyList<string>? Sets = null, bool Json = false, int? Posterior = null, string? Ensemble = null)
{
    /// <summary>Scenario overrides as dotted paths, in the loader's format, each naming the option it came from.</summary>
    public ScenarioOverrides Overrides() => ScenarioOverrides.FromOptions(Agents, Seed, Sets, []);
}
