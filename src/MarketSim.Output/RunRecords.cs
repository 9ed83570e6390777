namespace MarketSim.Output;

/// <summary>
/// What identifies a run, copied into every output file so that a Parquet file separated from its folder still says
/// which scenario, seed and scale produced it.
/// </summary>
/// <param name="ScenarioName">Scenario name; also the default output sub-folder.</param>
/// <param name="ResolvedScenarioYaml">The scenario after <c>extends:</c> and overrides were applied: enough to rerun it.</param>
/// <param name="ScenarioSha256">Hash of <paramref name="ResolvedScenarioYaml"/>, to group runs of the same scenario cheaply.</param>
/// <param name="Seed">Root random seed; with the scenario it determines every number in the outputs.</param>
/// <param name="Agents">Simulated agents at the start of the run.</param>
/// <param name="PeoplePerAgent">People one agent stands for; the outputs are already multiplied by it.</param>
/// <param name="Replication">Replication index when a scenario is run several times with derived seeds (0 otherwise).</param>
/// <param name="ProgramVersion">Version of the program that wrote the run, for reproducing it later.</param>
public sealed record RunManifest(
    string ScenarioName,
    string ResolvedScenarioYaml,
    string ScenarioSha256,
    ulong Seed,
    long Agents,
    double PeoplePerAgent,
    int Replication,
    string ProgramVersion);

/// <summary>
/// Where the time of a run went. Kept out of the Parquet files (which must be byte-identical for identical runs)
/// and written only to run.json.
/// </summary>
/// <param name="InitialiseSeconds">Building the population.</param>
/// <param name="StepSeconds">Stepping agents.</param>
/// <param name="AggregateSeconds">Reducing per-chunk counts into step metrics.</param>
/// <param name="WriteSeconds">Writing outputs.</param>
/// <param name="ChartSeconds">Rendering charts.</param>
/// <param name="TotalSeconds">Wall-clock time of the whole run.</param>
/// <param name="Threads">Worker threads used.</param>
/// <param name="AgentStepsPerSecond">Throughput while stepping.</param>
/// <param name="StartedUtc">When the run started.</param>
/// <param name="FinishedUtc">When the run finished.</param>
public sealed record RunTimings(
    double InitialiseSeconds,
    double StepSeconds,
    double AggregateSeconds,
    double WriteSeconds,
    double ChartSeconds,
    double TotalSeconds,
    int Threads,
    double AgentStepsPerSecond,
    DateTimeOffset StartedUtc,
    DateTimeOffset FinishedUtc);
