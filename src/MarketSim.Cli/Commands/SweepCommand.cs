using System.CommandLine;
using MarketSim.Cli.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Cli.Commands;

/// <summary><c>marketsim sweep SWEEP.yaml</c>: many scenario variants into one Hive-partitioned dataset.</summary>
public static class SweepCommand
{
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
        var parallel = new Option<int>("--parallel-runs")
        {
            Description = "Runs executing at once in this process (default: one per core).",
            DefaultValueFactory = _ => 0,
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Simulation threads per run (default: cores ÷ parallel runs). Results are identical for any value.",
            DefaultValueFactory = _ => 0,
        };
        var shard = new Option<string?>("--shard")
        {
            Description = "Run only shard K of N (K/N, 0-based): the runs whose index i has i mod N = K.",
        };
        var shards = new Option<int?>("--shards")
        {
            Description = "Number of shards N; K comes from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID. " +
                          "Without --shard/--shards, SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are used when set.",
        };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Check the sweep file and print the plan (runs, seeds, parameter values) without running or writing anything.",
        };
        var command = new Command("sweep",
            "Run a parameter sweep: a base scenario, parameters with ranges or values, a design (grid, random, lhs, sobol) and " +
            "replications. Writes metrics/run=<id>/part-0.parquet (and flows, overlap, calibration), runs.parquet with one row " +
            "per run and a column per parameter, sweep.resolved.yaml and _SUCCESS when every run is done. Killed or interrupted " +
            "sweeps resume where they stopped; shards of one sweep write one dataset.")
        {
            sweep, output, parallel, threads, shard, shards, dryRun,
        };
        command.SetAction((parse, ct) =>
        {
            var request = new SweepRequest(parse.GetValue(sweep)!.ToString(), parse.GetValue(output)?.FullName, parse.GetValue(parallel),
                parse.GetValue(threads), parse.GetValue(shard), parse.GetValue(shards), parse.GetValue(dryRun));
            return services.GetRequiredService<SweepJob>().ExecuteAsync(request, ct);
        });
        return command;
    }
}
