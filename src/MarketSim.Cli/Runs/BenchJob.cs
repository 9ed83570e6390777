using System.Diagnostics;
using System.Globalization;
using MarketSim.Calibration;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;
using MarketSim.ScenarioFiles;
using Spectre.Console;

namespace MarketSim.Cli.Runs;

/// <summary>What <c>marketsim bench</c> measures.</summary>
/// <param name="ScenarioPath">Scenario file (default: the alliance scenario).</param>
/// <param name="Agents">Agents in the measured run.</param>
/// <param name="Steps">Steps measured.</param>
/// <param name="Threads">Worker threads, 0 = all cores.</param>
public sealed record BenchRequest(string ScenarioPath, long Agents, int Steps, int Threads);

/// <summary>
/// The reference workload: the scenario run for a number of weekly steps with Parquet written and no charts, after a
/// small warm-up run that lets the JIT compile the hot loop. Reports throughput, memory and where the time goes.
/// </summary>
public static class BenchJob
{
    /// <summary>Runs the benchmark; returns the exit code.</summary>
    public static async Task<int> ExecuteAsync(BenchRequest request, CancellationToken ct)
    {
        // Each value names the option it came from, so a refusal says "--steps 99999", not "calendar.steps".
        var overrides = new ScenarioOverrides();
        string agents = request.Agents.ToString(CultureInfo.InvariantCulture), steps = request.Steps.ToString(CultureInfo.InvariantCulture);
        overrides.Set("population.agents", agents, $"--agents {agents}");
        overrides.Set("calendar.steps", steps, $"--steps {steps}");
        var loaded = RunJob.Load(request.ScenarioPath, overrides);
        if (loaded?.Scenario is not { } scenario) return ExitCodes.InvalidInput;

        var warmup = RunJob.Load(request.ScenarioPath, new Dictionary<string, string>
        {
            ["population.agents"] = "200000",
            ["calendar.steps"] = "8",
        });
        var model = new MarketModel(scenario);
        var estimate = MemoryEstimate.For(model);
        // Before the temporary folder exists: a refused benchmark leaves nothing in TMPDIR.
        if (!MemoryGuard.Allows(estimate, null, out string refusal))
        {
            Console.Error.WriteLine($"error: {refusal}");
            return ExitCodes.InsufficientMemory;
        }
        string folder = Path.Combine(Path.GetTempPath(), "marketsim-bench", Guid.NewGuid().ToString("N"));
        try
        {
            // The warm-up writes its Parquet too: with tiered compilation off, the first row group would otherwise
            // charge the JIT's compilation of the Parquet writer to the measured run's writing time.
            AnsiConsole.MarkupLine("[grey]warm-up: 200,000 agents × 8 steps, Parquet written[/]");
            await MeasureAsync(new MarketModel(warmup!.Scenario!), warmup, request.Threads,
                Path.Combine(folder, "warm-up"), ct);

            GC.Collect();
            var (sim, writeSeconds) = await MeasureAsync(model, loaded, request.Threads, Path.Combine(folder, "run"), ct);
            double loop = sim.StepSeconds + sim.AggregateSeconds + writeSeconds;
            double rate = sim.AgentSteps / loop;
            long peak = Process.GetCurrentProcess().PeakWorkingSet64;

            var table = new Table().Title($"marketsim bench: {Markup.Escape(scenario.Name)}, {request.Agents:N0} agents × {request.Steps} steps, {sim.Threads} threads")
                .AddColumns("measure", "value");
            table.AddRow("agent-steps", $"{sim.AgentSteps:N0}");
            table.AddRow("agent-steps per second", $"{rate / 1e6:F1} M/s (stepping alone {sim.AgentSteps / sim.StepSeconds / 1e6:F1} M/s)");
            table.AddRow("nanoseconds per agent-step", $"{1e9 / rate:F2} wall, {1e9 * sim.Threads / rate:F2} core");
            table.AddRow("time: initialise", $"{sim.InitialiseSeconds:F2} s");
            table.AddRow("time: stepping agents", $"{sim.StepSeconds:F2} s ({sim.StepSeconds / loop:P0})");
            table.AddRow("time: tables and aggregation", $"{sim.AggregateSeconds:F2} s ({sim.AggregateSeconds / loop:P0})");
            table.AddRow("time: writing Parquet", $"{writeSeconds:F2} s ({writeSeconds / loop:P0})");
            table.AddRow("bytes of agent state per agent", $"{Simulation.BytesPerAgent}");
            table.AddRow("engine bytes per agent slot", $"{estimate.EngineBytes / (double)estimate.Agents:F2}");
            table.AddRow("peak working set", MemoryEstimate.Format(peak));
            table.AddRow("estimated (before allocating)", MemoryEstimate.Format(estimate.TotalBytes));
            AnsiConsole.Write(table);

            var billion = RunJob.Load(request.ScenarioPath, new Dictionary<string, string> { ["population.agents"] = "1000000000" });
            var big = MemoryEstimate.For(new MarketModel(billion!.Scenario!));
            AnsiConsole.MarkupLine($"1 billion agents ({big.Agents:N0} slots with arrivals over {billion.Scenario!.Calendar.Steps} steps): " +
                                   $"estimated {MemoryEstimate.Format(big.TotalBytes)} — {(big.TotalBytes <= 24L << 30 ? "fits" : "does not fit")} in 24 GiB.");
            return ExitCodes.Ok;
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Times a calibration's evaluations as <c>calibrate</c> runs them (in memory, its agents and replications, nothing
    /// written): the first <paramref name="evaluations"/> points of its global design, one after another in this process.
    /// The first pays the JIT; the median of the others is the steady cost of an evaluation. The objectives are printed
    /// so that two builds can be checked to compute the same thing.
    /// </summary>
    public static Task<int> CalibrationAsync(string path, int evaluations, int threads, CancellationToken ct)
    {
        var loaded = CalibrationFile.LoadWithMethod(path);
        if (!loaded.Ok || (loaded.Optimise ?? loaded.Posterior?.Problem) is not { } problem)
        {
            foreach (var p in loaded.Problems) Console.Error.WriteLine($"error: {p}");
            return Task.FromResult(ExitCodes.InvalidInput);
        }
        int used = threads > 0 ? threads : Environment.ProcessorCount;
        var design = Calibrator.GlobalDesign(problem);
        var evaluator = new CalibrationEvaluator(problem);
        var table = new Table().Title($"marketsim bench --calibration: {Markup.Escape(problem.DisplayPath)}, {problem.Agents:N0} agents × " +
                                      $"{problem.Seeds.Count} replication(s), {used} threads")
            .AddColumns("evaluation", "wall", "objective");
        var seconds = new List<double>();
        for (int e = 0; e < evaluations; e++)
        {
            ct.ThrowIfCancellationRequested();
            var u = design[e % design.Length];
            var values = problem.Parameters.Select((p, d) => p.AtUnit(u[d])).ToArray();
            var clock = Stopwatch.StartNew();
            var result = evaluator.Evaluate(values, used, ct);
            seconds.Add(clock.Elapsed.TotalSeconds);
            table.AddRow($"{e + 1}", $"{seconds[^1]:F3} s", result.Objective.ToString("R", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        var rest = seconds.Skip(1).Order().ToArray();
        if (rest.Length > 0)
        {
            double median = rest.Length % 2 == 1 ? rest[rest.Length / 2] : (rest[rest.Length / 2 - 1] + rest[rest.Length / 2]) / 2;
            AnsiConsole.MarkupLine($"per evaluation after the first: median {median:F3} s wall, {median * used:F2} core-seconds at most; " +
                                   $"first (with the JIT) {seconds[0]:F3} s");
        }
        return Task.FromResult(ExitCodes.Ok);
    }

    /// <summary>Steps the model to its end, writing every step's Parquet rows into <paramref name="folder"/>.</summary>
    /// <returns>The finished simulation and the seconds spent writing.</returns>
    private static async Task<(Simulation Sim, double WriteSeconds)> MeasureAsync(MarketModel model, ScenarioLoadResult loaded,
        int threads, string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var total = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var scenario = loaded.Scenario!;
        var manifest = new RunManifest(scenario.Name, loaded.ResolvedYaml, loaded.Sha256, scenario.Seed,
            scenario.Population.Agents, model.PeoplePerAgent, 0, RunJob.ProgramVersion);
        await using var run = RunPipeline.Start(model, manifest, threads, ct: ct);
        await run.OpenOutputsAsync(folder, OutputSelection.All, ct: ct);
        await run.StepToEndAsync(ct);
        // The bench's calibration table stays empty, as it always has: the measured work is stepping and the step tables.
        await run.CompleteAsync(run.Timings(0, total.Elapsed.TotalSeconds, started), withCalibration: false, ct);
        return (run.Simulation, run.WriteSeconds);
    }
}
