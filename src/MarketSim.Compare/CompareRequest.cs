using MarketSim.Output;

namespace MarketSim.Compare;

/// <summary>What to compare: a scenario against a baseline, over several replications under common random numbers.</summary>
/// <param name="ScenarioPath">Scenario file (the what-if).</param>
/// <param name="BaselinePath">Baseline file, or null for the file the scenario directly <c>extends</c>.</param>
/// <param name="Replications">Number of replications (at least 1); replication r of both arms draws the same random streams.
/// Under a posterior: replications per draw.</param>
/// <param name="Overrides">Dotted-path overrides (loader format) applied to both scenario and baseline, e.g. <c>population.agents</c>.</param>
/// <param name="Threads">Worker threads in total, 0 = all cores. Results do not depend on it.</param>
/// <param name="ScenarioOverrides">Further overrides of the scenario arm only (the studio's knobs), applied after <paramref name="Overrides"/>.</param>
/// <param name="Ensemble">A posterior ensemble (issue 28) to draw parameter sets from, or null for the scenario's own values.</param>
/// <param name="Draws">Parameter sets drawn from <paramref name="Ensemble"/> (K ≥ 1), each run with <paramref name="Replications"/> replications.</param>
public sealed record CompareRequest(string ScenarioPath, string? BaselinePath, int Replications,
    IReadOnlyDictionary<string, string> Overrides, int Threads = 0, IReadOnlyDictionary<string, string>? ScenarioOverrides = null,
    PosteriorEnsemble? Ensemble = null, int Draws = 0);
