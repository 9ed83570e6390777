using System.CommandLine;
using MarketSim.Cli.Input;
using MarketSim.Cli.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim sweep SWEEP.yaml</c>: many scenario variants into one Hive-partitioned dataset.</summary>
public static class SweepCommand
{
    /// <summary>Most shards: a Kubernetes Indexed Job allows 100 000 completions, a Slurm array far fewer.</summary>
    public const int MaxShards = 100_000;

    /// <summary>Builds the command.</summary>
    public static Command Create(IServiceProvider services)
    {
        var sweep = new Argument<FileInfo>("SWEEP")
        {
            Description = "Sweep file (YAML), e.g. scenarios/sweeps/alliance-traffic-supply.yaml",
        };
        var output = new Option<DirectoryInfo?>("--out")
        {
            Description = "Dataset folder (default: output/<sweep name>). Running again into the same folder resumes.",
        };
        var parallel = CliOptions.WholeNumber("--parallel-runs", 0, CliOptions.MaxThreads, 0, "Runs executing at once in this process (default: one per core).");
        var threads = CliOptions.Threads("Simulation threads per run (default: cores ÷ parallel runs). Results are identical for any value.");
        var shard = new Option<string?>("--shard")
        {
            Description = "Run only shard K of N (K/N, 0-based): the runs whose index i has i mod N = K.",
        };
        var shards = CliOptions.OptionalWholeNumber("--shards", 1, MaxShards,
            "Number of shards N; shard K is JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID " +
                          "(Slurm job array; submit --array=0-(N-1), resubmit --array=K to resume shard K). N never comes from the " +
                          "array's size. MARKETSIM_JOB_COMPLETIONS, when set, must equal N.");
        var agents = RunCommand.CommonOptions.Agents();
        agents.Description = "Agents of every run (overrides the sweep file's agents:).";
        var set = RunCommand.CommonOptions.Set();
        set.Description += " Applies to every run and replaces the sweep file's overrides of the same path; a swept path cannot be set.";
        var json = new Option<bool>("--json") { Description = "Print the plan (with --dry-run) or the shard's summary as one JSON object on stdout." };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Check the sweep file and print the plan (runs, seeds, parameter values) without running or writing anything.",
        };
        var command = new Command("sweep",
            "Run a parameter sweep: a base scenario, parameters with ranges or values, a design (grid, random, lhs, sobol, saltelli, morris) and " +
            "replications. Writes metrics/run=<id>/part-0.parquet (and flows, overlap, calibration), runs.parquet with one row " +
            "per run and a column per parameter, sweep.resolved.yaml and _SUCCESS when every run is done. Killed or interrupted " +
            "sweeps resume where they stopped; shards of one sweep write one dataset.")
        {
            sweep, agents, set, output, parallel, threads, shard, shards, dryRun, json,
        };
        command.Validators.Add(result =>
        {
            RunCommand.CommonOptions.Validate(result, set, agents, null);
            CliOptions.CheckOutputFolder(result, output);
        });
        command.SetAction((parse, ct) =>
        {
            var request = new SweepRequest(parse.GetValue(sweep)!.ToString(), parse.GetValue(output)?.FullName, parse.GetValue(parallel),
                parse.GetValue(threads), parse.GetValue(shard), parse.GetValue(shards), parse.GetValue(dryRun),
                parse.GetValue(agents), parse.GetValue(set), parse.GetValue(json));
            return services.GetRequiredService<SweepJob>().ExecuteAsync(request, ct);
        });
        return command;
    }
}
