using MarketSim.Sweeps;
using Microsoft.Extensions.Logging;

namespace MarketSim.Cli.Terminal;

/// <summary>
/// Every log line the commands print, as source-generated logging methods: the templates are parsed once at compile
/// time and no argument is boxed or formatted when the level is off. The messages are what users read (and tests check).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Scenario {Name}: {Agents:N0} agents ({People:F0} people each), {Steps} steps of {Days} days, seed {Seed}")]
    public static partial void ScenarioStarting(this ILogger logger, string name, long agents, double people, int steps, int days, ulong seed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path}: {Message}")]
    public static partial void ScenarioNote(this ILogger logger, string path, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "{What} {Capacity:N0} agent slots on {Threads} threads in {Seconds:F2} s")]
    public static partial void Initialised(this ILogger logger, string what, long capacity, int threads, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interrupted at step {Step}; checkpoint saved. Continue with: marketsim run --resume {Folder}")]
    public static partial void InterruptedWithCheckpoint(this ILogger logger, int step, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interrupted at step {Step}; no complete run was written to {Folder}")]
    public static partial void InterruptedNothingWritten(this ILogger logger, int step, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Description}: {Done}/{Total} {Label} (ETA {Eta:F0} s)")]
    public static partial void Progress(this ILogger logger, string description, int done, int total, string label, double eta);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interrupted: no analysis written; run the same command again")]
    public static partial void AnalysisInterrupted(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysing {Folder}")]
    public static partial void Analysing(this ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Comparing {Scenario} with {Baseline}: {R} replications × 2 runs of {Agents:N0} agents, {Steps} steps; {Concurrent} runs at once on {Each} thread(s) each")]
    public static partial void Comparing(this ILogger logger, string scenario, string baseline, int r, long agents, int steps, int concurrent, int each);

    [LoggerMessage(Level = LogLevel.Information, Message = "Attribution over {N} clauses ({Clauses}): {Extra} more runs")]
    public static partial void Attribution(this ILogger logger, int n, IReadOnlyList<string> clauses, int extra);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interrupted; no complete comparison was written")]
    public static partial void ComparisonInterrupted(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Comparison failed: {Message}")]
    public static partial void ComparisonFailed(this ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Sweep {Name}: {Points} points × {Replications} replications = {Runs} runs ({Design}); shard {Shard} has {Mine}; {Parallel} at once × {Threads} threads; output {Folder}")]
    public static partial void SweepStarting(this ILogger logger, string name, int points, int replications, int runs, string design, Shard shard,
        int mine, int parallel, int threads, string folder);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Interrupted: {Ran} runs finished in this process; {Done} of {Total} runs of the sweep are done. Run the same command again to resume (only the missing runs run).")]
    public static partial void SweepInterrupted(this ILogger logger, int ran, int done, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming: {Done} of {Runs} runs of this shard already done, {Todo} to run")]
    public static partial void SweepResuming(this ILogger logger, int done, int runs, int todo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Id} failed: {Error}")]
    public static partial void SweepRunFailed(this ILogger logger, string id, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name}: {Done}/{Total} runs, {Failed} failed, {Rate:F1} runs/min (ETA {Eta:F0} s)")]
    public static partial void SweepProgress(this ILogger logger, string name, int done, int total, int failed, double rate, double eta);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Calibrating {Parameters} parameters of {Scenario} to {Fitted} of {Targets} targets: {Global} global points, up to {Local} local evaluations, {Agents} agents × {Replications} replications, {Threads} threads; {Reused} evaluations in the log; output {Folder}")]
    public static partial void CalibrationStarting(this ILogger logger, int parameters, string scenario, int fitted, int targets, int global,
        int local, long agents, int replications, int threads, int reused, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interrupted: the evaluation log in {Folder} is consistent; run the same command again to resume")]
    public static partial void CalibrationInterrupted(this ILogger logger, string folder);
}
