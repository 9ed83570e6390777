using System.Diagnostics;
using MarketSim.Cli.Terminal;
using MarketSim.Model;
using MarketSim.ScenarioFiles;
using MarketSim.Sweeps;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace MarketSim.Cli.Runs;

/// <summary>What <c>marketsim sweep</c> was asked to do.</summary>
/// <param name="SweepPath">Sweep file as typed.</param>
/// <param name="OutputFolder">Output folder; default <c>output/&lt;sweep name&gt;</c>.</param>
/// <param name="ParallelRuns">Runs at once in this process; 0 = one per core.</param>
/// <param name="Threads">Simulation threads per run; 0 = cores ÷ parallel runs (at least 1).</param>
/// <param name="Shard"><c>K/N</c> from <c>--shard</c>, if given.</param>
/// <param name="Shards"><c>N</c> from <c>--shards</c> (K from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID), if given.</param>
/// <param name="DryRun">Validate and print the plan only.</param>
/// <param name="Agents">Agents of every run (<c>--agents</c>), replacing the sweep file's.</param>
/// <param name="Sets"><c>--set path=value</c> overrides of every run.</param>
/// <param name="Json">Print the plan or the summary as JSON on stdout.</param>
public sealed record SweepRequest(string SweepPath, string? OutputFolder, int ParallelRuns, int Threads, string? Shard, int? Shards, bool DryRun,
    long? Agents = null, IReadOnlyList<string>? Sets = null, bool Json = false);

/// <summary>
/// A parameter sweep from sweep file to dataset: validate everything (nothing written on error), resolve the shard,
/// run this process's runs in parallel with progress, rebuild runs.parquet and mark the dataset complete.
/// </summary>
public sealed class SweepJob(ILogger<SweepJob> logger)
{
    /// <summary>Runs a request; returns the process exit code.</summary>
    public async Task<int> ExecuteAsync(SweepRequest request, CancellationToken ct)
    {
        // Half of what is available for the plan: the runs themselves need the rest.
        var loaded = SweepFile.Load(request.SweepPath, request.SweepPath, ScenarioOverrides.FromOptions(request.Agents, null, request.Sets, []),
            MemoryGuard.AvailableBytes() / 2);
        if (loaded.PlanBytes > 0)
        {
            MemoryGuard.Allows(2 * loaded.PlanBytes, $"the plan of {request.SweepPath} (its points × replications)",
                "use fewer points or replications (every shard builds the whole plan)", null, out string tooLarge);
            Console.Error.WriteLine($"error: {tooLarge}");
            return ExitCodes.InsufficientMemory;
        }
        if (!loaded.Ok || loaded.Spec is not { } spec)
        {
            foreach (var problem in loaded.Problems) Console.Error.WriteLine($"error: {problem}");
            return ExitCodes.InvalidInput;
        }
        var shard = Shard.Resolve(request.Shard, request.Shards, Environment.GetEnvironmentVariable, out string? shardError);
        if (shard is null)
        {
            Console.Error.WriteLine($"error: {shardError}");
            return ExitCodes.InvalidInput;
        }
        if (request.ParallelRuns < 0 || request.Threads < 0)
        {
            Console.Error.WriteLine("error: --parallel-runs and --threads must be ≥ 0 (0 = automatic)");
            return ExitCodes.InvalidInput;
        }
        var plan = new SweepPlan(spec, RunJob.ProgramVersion);
        string folder = Path.GetFullPath(request.OutputFolder ?? Path.Combine("output", spec.Name));
        int mine = plan.Runs.Count(r => shard.Owns(r.Index));
        int cores = Environment.ProcessorCount;
        int parallel = request.ParallelRuns > 0 ? request.ParallelRuns : cores;
        parallel = Math.Max(1, Math.Min(parallel, Math.Max(1, mine)));
        int threads = request.Threads > 0 ? request.Threads : Math.Max(1, cores / parallel);

        if (request.DryRun)
        {
            if (request.Json) WritePlanJson(plan, shard, folder, parallel, threads);
            else PrintPlan(plan, shard, folder, parallel, threads);
            return ExitCodes.Ok;
        }
        if (SweepRunner.Conflict(folder, plan) is { } conflict)
        {
            Console.Error.WriteLine($"error: {conflict}");
            return ExitCodes.InvalidInput;
        }
        if (!FitsInMemory(plan, ref parallel, out string refusal))
        {
            Console.Error.WriteLine($"error: {refusal}");
            return ExitCodes.InsufficientMemory;
        }

        logger.SweepStarting(spec.Name, plan.Points, spec.Replications, plan.Runs.Count, spec.Design.Name, shard,
            mine, parallel, threads, folder);
        SweepResult result;
        var clock = Stopwatch.StartNew();
        if (ProgressReporter.Interactive && !request.Json)
        {
            SweepResult? r = null;
            await AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var progress = new SweepProgress(spec.Name, logger, ctx);
                    r = await new SweepRunner(plan, folder, new SweepRunOptions(shard, parallel, threads), progress).RunAsync(ct);
                });
            result = r!;
        }
        else
        {
            result = await new SweepRunner(plan, folder, new SweepRunOptions(shard, parallel, threads), new SweepProgress(spec.Name, logger, null)).RunAsync(ct);
        }

        int ran = result.Succeeded + result.Failures.Count;
        double minutes = clock.Elapsed.TotalMinutes;
        if (result.Interrupted)
        {
            logger.SweepInterrupted(ran, result.DoneInSweep, result.TotalInSweep);
            return ExitCodes.Interrupted;
        }
        foreach (var f in result.Failures)
            Console.Error.WriteLine($"error: run {f.Run.Id} (point {f.Run.Point}, replication {f.Run.Replication}) failed: {f.Error}");
        if (request.Json)
        {
            JsonOut.Write(json =>
            {
                json.WriteString("sweep", spec.Name);
                json.WriteString("shard", shard.ToString());
                json.WriteNumber("shard_runs", result.ShardRuns);
                json.WriteNumber("already_done", result.Skipped);
                json.WriteNumber("ok", result.Succeeded);
                json.WriteStartArray("failed");
                foreach (var f in result.Failures)
                {
                    json.WriteStartObject();
                    json.WriteString("run", f.Run.Id);
                    json.WriteString("error", f.Error);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteNumber("seconds", Math.Round(clock.Elapsed.TotalSeconds, 3));
                json.WriteNumber("done_in_sweep", result.DoneInSweep);
                json.WriteNumber("total_in_sweep", result.TotalInSweep);
                json.WriteBoolean("dataset_complete", result.DatasetComplete);
                json.WriteString("dataset", folder);
            });
            return result.Failures.Count > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        }
        if (!ProgressReporter.Interactive) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        AnsiConsole.MarkupLine(Markup.Escape(
            $"Shard {shard}: {result.ShardRuns} runs, {result.Skipped} already done, {result.Succeeded} ok, {result.Failures.Count} failed " +
            $"in {clock.Elapsed.TotalSeconds:F1} s ({(minutes > 0 ? ran / minutes : 0):F1} runs/min)."));
        AnsiConsole.MarkupLine(Markup.Escape(result.DatasetComplete
            ? $"Sweep complete: all {result.TotalInSweep} runs done; dataset {folder} (_SUCCESS written)."
            : $"Sweep: {result.DoneInSweep} of {result.TotalInSweep} runs done; runs.parquet lists the others as pending or failed. Dataset: {folder}"));
        if (result.Failures.Count > 0) return ExitCodes.Failed;
        if (result.DatasetComplete && spec.Analysis is { AfterSweep: true } options)
            return await AnalyzeJob.AnalyseAsync(folder, options, logger, Stopwatch.StartNew(), ct);
        return ExitCodes.Ok;
    }

    /// <summary>Lowers the runs at once until their memory fits; false when even one run does not.</summary>
    private static bool FitsInMemory(SweepPlan plan, ref int parallel, out string refusal)
    {
        refusal = "";
        var loaded = ScenarioLoader.Load(plan.Spec.ScenarioPath, plan.Overrides(plan.Runs[0]));
        if (loaded.Scenario is null) return true; // the run itself will report it as failed
        var estimate = MemoryEstimate.For(new MarketModel(loaded.Scenario));
        long available = MemoryGuard.AvailableBytes();
        long perRun = Math.Max(1, estimate.TotalBytes - MemoryEstimate.BaseRuntimeBytes);
        int fits = (int)Math.Clamp((available - MemoryEstimate.BaseRuntimeBytes) / perRun, 0, int.MaxValue);
        if (fits < 1)
        {
            refusal = $"one run needs about {MemoryEstimate.Format(estimate.TotalBytes)} but only {MemoryEstimate.Format(available)} is available; " +
                      "use fewer agents (agents: in the sweep file). Nothing was run.";
            return false;
        }
        parallel = Math.Min(parallel, fits);
        return true;
    }

    private static void WritePlanJson(SweepPlan plan, Shard shard, string folder, int parallel, int threads)
    {
        var spec = plan.Spec;
        JsonOut.Write(json =>
        {
            json.WriteBoolean("valid", true);
            json.WriteString("sweep", spec.Name);
            json.WriteString("design", spec.Design.Type.ToString().ToLowerInvariant());
            json.WriteNumber("points", plan.Points);
            json.WriteNumber("replications", spec.Replications);
            json.WriteNumber("total_runs", plan.Runs.Count);
            json.WriteString("shard", shard.ToString());
            json.WriteNumber("parallel_runs", parallel);
            json.WriteNumber("threads_per_run", threads);
            json.WriteString("dataset", folder);
            json.WriteStartArray("runs");
            foreach (var run in plan.Runs.Where(r => shard.Owns(r.Index)))
            {
                json.WriteStartObject();
                json.WriteNumber("run", run.Index);
                json.WriteNumber("point", run.Point);
                json.WriteNumber("replication", run.Replication);
                json.WriteString("seed", run.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
                json.WriteStartObject("parameters");
                for (int i = 0; i < spec.Parameters.Count; i++) JsonOut.Value(json, spec.Parameters[i].Path, run.Values[i]);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        });
    }

    private static void PrintPlan(SweepPlan plan, Shard shard, string folder, int parallel, int threads)
    {
        var spec = plan.Spec;
        if (!ProgressReporter.Interactive) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        AnsiConsole.MarkupLine(Markup.Escape($"Sweep {spec.Name} is valid: {plan.Points} points × {spec.Replications} replications = {plan.Runs.Count} runs " +
                                             $"({spec.Design.Type.ToString().ToLowerInvariant()} design); shard {shard} has {plan.Runs.Count(r => shard.Owns(r.Index))}; " +
                                             $"{parallel} at once × {threads} threads; output {folder}."));
        var table = new Table().AddColumns(["run", "point", "replication", "seed", .. spec.Parameters.Select(p => p.Column)]);
        foreach (var run in plan.Runs.Where(r => shard.Owns(r.Index)).Take(20))
            table.AddRow([run.Id, $"{run.Point}", $"{run.Replication}", $"{run.Seed}", .. run.Values.Select(v => Markup.Escape(SweepParameter.OverrideText(v)))]);
        AnsiConsole.Write(table);
        if (plan.Runs.Count(r => shard.Owns(r.Index)) > 20) AnsiConsole.WriteLine("…");
    }

    /// <summary>
    /// Sweep progress: a bar of runs with ETA and failures on a terminal; otherwise a log line per 10 % of runs (and at
    /// least every 30 s), and a warning per failed run.
    /// </summary>
    private sealed class SweepProgress(string name, ILogger logger, ProgressContext? context) : ISweepProgress
    {
        private readonly object gate = new();
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private ProgressTask? task;
        private int total, done, failed, nextReport = 1;
        private double lastLog;

        public void Starting(int shardRuns, int alreadyDone)
        {
            lock (gate)
            {
                total = shardRuns - alreadyDone;
                if (alreadyDone > 0) logger.SweepResuming(alreadyDone, shardRuns, total);
                if (context is not null) task = context.AddTask(Markup.Escape($"{name} runs"), maxValue: Math.Max(1, total));
            }
        }

        public void RunFinished(SweepRunOutcome outcome)
        {
            lock (gate)
            {
                done++;
                if (!outcome.Ok)
                {
                    failed++;
                    logger.SweepRunFailed(outcome.Run.Id, outcome.Error);
                }
                if (task is not null)
                {
                    task.Increment(1);
                    task.Description = Markup.Escape($"{name} runs {done}/{total}" + (failed > 0 ? $", {failed} failed" : ""));
                    return;
                }
                double now = clock.Elapsed.TotalSeconds;
                if (done * 10 < nextReport * total && done != total && now - lastLog < 30) return;
                while (done * 10 >= nextReport * total && nextReport <= 10) nextReport++;
                lastLog = now;
                double eta = now / done * (total - done);
                double perMinute = done / Math.Max(now / 60, 1e-9);
                logger.SweepProgress(name, done, total, failed, perMinute, eta);
            }
        }
    }
}
