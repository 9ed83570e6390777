using System.Diagnostics;
using System.Reflection;
using MarketSim.Calibration;
using MarketSim.Charts;
using MarketSim.Cli.Terminal;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace MarketSim.Cli.Runs;

/// <summary>
/// One simulation run from scenario file to run folder: load and validate (nothing written on error), simulate
/// with outputs streamed step by step, charts, then the completion marker last.
/// </summary>
public sealed class RunJob(ILogger<RunJob> logger)
{
    /// <summary>The program's version, written into every output.</summary>
    public static string ProgramVersion =>
        typeof(RunJob).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>Loads a scenario with overrides; prints every problem as one line to stderr.</summary>
    public static ScenarioLoadResult? Load(string path, IReadOnlyDictionary<string, string> overrides)
    {
        var loaded = ScenarioLoader.Load(path, overrides);
        return Report(loaded);
    }

    private static ScenarioLoadResult? LoadText(string yaml, string displayName) =>
        Report(ScenarioLoader.LoadText(yaml, displayName));

    private static ScenarioLoadResult? Report(ScenarioLoadResult loaded)
    {
        foreach (var warning in loaded.Warnings) Console.Error.WriteLine($"warning: {warning}");
        if (loaded.Ok && loaded.Scenario is not null) return loaded;
        foreach (var problem in loaded.Problems) Console.Error.WriteLine($"error: {problem}");
        return null;
    }

    /// <summary>Output folder of a run: exactly what the user gave, or output/&lt;scenario&gt;/&lt;run-id&gt;.</summary>
    public static string OutputFolder(RunRequest request, string scenarioName, string sha256)
    {
        if (request.OutputFolder is { } exact) return Path.GetFullPath(exact);
        // Time first so that folders sort by when they ran; the scenario hash tells runs of edited scenarios apart.
        string stem = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{sha256[..8]}";
        string folder = Path.GetFullPath(Path.Combine("output", scenarioName, stem));
        for (int n = 2; Directory.Exists(folder); n++)
            folder = Path.GetFullPath(Path.Combine("output", scenarioName, $"{stem}-{n}"));
        return folder;
    }

    /// <summary>Runs a request; returns the process exit code.</summary>
    public async Task<int> ExecuteAsync(RunRequest request, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        RunCheckpointData? checkpoint = null;
        try
        {
            ScenarioLoadResult? loaded;
            if (request.ResumeFolder is { } resume)
            {
                if (!TryLoadCheckpoint(resume, out checkpoint, out loaded)) return ExitCodes.InvalidInput;
            }
            else loaded = Load(request.ScenarioPath!, request.Overrides());
            if (loaded?.Scenario is not { } scenario) return ExitCodes.InvalidInput;

            var model = new MarketModel(scenario);
            var estimate = MemoryEstimate.For(model);
            if (request.DryRun && request.Json)
            {
                JsonOut.Write(json =>
                {
                    json.WriteBoolean("valid", true);
                    json.WriteString("scenario", scenario.Name);
                    json.WriteString("scenario_sha256", loaded.Sha256);
                    json.WriteString("seed", scenario.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    json.WriteNumber("agents", scenario.Population.Agents);
                    json.WriteNumber("steps", model.Steps);
                    json.WriteNumber("agent_slots", model.TotalCapacity);
                    json.WriteNumber("engine_bytes", estimate.EngineBytes);
                    json.WriteNumber("results_bytes", estimate.ResultsBytes);
                    json.WriteNumber("runtime_bytes", estimate.RuntimeBytes);
                    json.WriteNumber("snapshot_bytes", estimate.SnapshotBytes);
                    json.WriteNumber("estimated_bytes", estimate.TotalBytes);
                });
                return ExitCodes.Ok;
            }
            if (request.DryRun)
            {
                AnsiConsole.MarkupLine($"Scenario {Markup.Escape(scenario.Name)} is valid: {model.Steps} steps, {model.TotalCapacity:N0} agent slots.");
                foreach (var line in estimate.Lines()) AnsiConsole.WriteLine(line);
                return ExitCodes.Ok;
            }
            if (!MemoryGuard.Allows(estimate, request.MaxMemoryBytes, out string refusal))
            {
                Console.Error.WriteLine($"error: {refusal}");
                return ExitCodes.InsufficientMemory;
            }
            string folder = request.ResumeFolder is { } r ? Path.GetFullPath(r) : OutputFolder(request, scenario.Name, loaded.Sha256);
            if (Faults.OutputFolderProblem(folder) is { } bad)
            {
                Console.Error.WriteLine($"error: {bad}");
                return ExitCodes.InvalidInput;
            }
            PosteriorRuns? posterior = null;
            if (request.Posterior is { } k)
            {
                posterior = await PosteriorRuns.PrepareAsync(request, loaded, k, ct);
                if (posterior is null) return ExitCodes.InvalidInput;
            }
            return await RunAsync(request, loaded, model, folder, checkpoint, total, started, posterior, ct);
        }
        finally
        {
            checkpoint?.EngineState.Dispose();
        }
    }

    private static bool TryLoadCheckpoint(string folder, out RunCheckpointData? checkpoint, out ScenarioLoadResult? loaded)
    {
        checkpoint = null;
        loaded = null;
        try
        {
            checkpoint = RunCheckpoint.Load(folder);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            string reason = e is FileNotFoundException or DirectoryNotFoundException ? "no checkpoint found (was the run started with --checkpoint-every?)" : e.Message;
            Console.Error.WriteLine($"error: {RunCheckpoint.PathIn(folder)}: {reason}");
            return false;
        }
        loaded = LoadText(checkpoint.ResolvedYaml, RunCheckpoint.PathIn(folder));
        if (loaded is null) return false;
        if (loaded.Sha256 != checkpoint.Sha256)
        {
            // The same YAML read by another program version can mean another model: resuming would mix two models.
            Console.Error.WriteLine($"error: {RunCheckpoint.PathIn(folder)}: the checkpoint's scenario reads differently in this program version " +
                                    $"(hash {loaded.Sha256[..12]} instead of {checkpoint.Sha256[..12]}); start the run again");
            return false;
        }
        return true;
    }

    private async Task<int> RunAsync(RunRequest request, ScenarioLoadResult loaded, MarketModel model, string folder,
        RunCheckpointData? checkpoint, Stopwatch total, DateTimeOffset started, PosteriorRuns? posterior, CancellationToken ct)
    {
        var scenario = loaded.Scenario!;
        logger.ScenarioStarting(scenario.Name, scenario.Population.Agents, model.PeoplePerAgent, model.Steps, model.StepDays, scenario.Seed);
        // A change capped to nothing (or to part of itself) by an attribute's limit is said before the run, not found after it.
        foreach (var note in model.CannotAct()) logger.ScenarioNote(note.Path, note.Message);
        // A value past what its assumption believes plausible is allowed (a what-if), and said.
        foreach (var issue in ScenarioValidator.OutsidePlausible(scenario)) logger.ScenarioNote(issue.Path, issue.Message);

        var manifest = new RunManifest(scenario.Name, loaded.ResolvedYaml, loaded.Sha256, scenario.Seed,
            scenario.Population.Agents, model.PeoplePerAgent, 0, ProgramVersion);
        // No warm-up shading: the initial state spreads each consumer's last orders over the past year, so annual-active
        // counts hold from the first step (the default's first step is the published figures).
        var marks = new ChartMarks(ScenarioMilestones.Of(scenario), null,
            scenario.Calibration.Count > 0 ? scenario.Calibration.Max(t => t.Date) : null);
        var result = await RunFolder.RunAsync(model, manifest, folder,
            new RunFolderOptions(request.Threads, request.CheckpointEvery, request.Charts,
                posterior is null ? null : (into, _, token) => posterior.WriteAsync(into, request.Threads, request.Charts && scenario.Outputs.Charts,
                    ScenarioMilestones.Of(scenario).Select(e => new Compare.ChartEvent(e.Date, e.Label)).ToList(), logger, token),
                posterior is null ? null : [Compare.PosteriorBands.FileName, Compare.PosteriorBands.ChartFileName]), checkpoint,
            (into, steps) => RunCharts.RenderAll(into, model.Dimensions, steps, scenario.DisplayName(), marks),
            new Progress(logger, scenario.Name, model), total, started, ct);
        switch (result.Outcome)
        {
            case RunFolderOutcome.Completed:
                PrintSummary(folder, scenario, result, total.Elapsed.TotalSeconds);
                return ExitCodes.Ok;
            case RunFolderOutcome.Interrupted:
                if (result.CheckpointKept) logger.InterruptedWithCheckpoint(result.Step, folder);
                else logger.InterruptedNothingWritten(result.Step, folder);
                return ExitCodes.Interrupted;
            case RunFolderOutcome.Busy:
                Console.Error.WriteLine($"error: {result.Message}");
                return ExitCodes.Busy;
            case RunFolderOutcome.WriteFailed:
                Console.Error.WriteLine($"error: cannot write the run to {folder}: {Faults.Describe(result.Fault!)}; nothing of it was kept" +
                                        (result.CheckpointKept ? " but its checkpoint (marketsim run --resume)" : ""));
                return ExitCodes.Failed;
            default:
                Console.Error.WriteLine($"error: {result.Message}");
                return ExitCodes.InvalidInput;
        }
    }

    /// <summary>The run's start in the log and its steps on the progress bar (or in log lines when not interactive).</summary>
    private sealed class Progress(ILogger logger, string name, MarketModel model) : IRunFolderProgress
    {
        public void Initialised(Simulation simulation, bool resumed) =>
            logger.Initialised(resumed ? $"Resumed at step {simulation.CurrentStep} with" : "Initialised", model.TotalCapacity,
                simulation.Threads, simulation.InitialiseSeconds);

        public Task SteppingAsync(int steps, Func<Action<StepMetrics>, Task> stepping) =>
            ProgressReporter.RunAsync(name, steps, logger, advance => stepping(m => advance(m.Date.ToString("yyyy-MM-dd"))));
    }

    /// <summary>A rate in people's units: "147 M", "3.2 M", "850 thousand" agent-steps/s, never "0 M".</summary>
    public static string Rate(double perSecond) =>
        perSecond >= 1e7 ? $"{perSecond / 1e6:F0} M" : perSecond >= 1e6 ? $"{perSecond / 1e6:F1} M"
        : perSecond >= 1e3 ? $"{perSecond / 1e3:F0} thousand" : $"{perSecond:F0}";

    private static void PrintSummary(string folder, Scenario scenario, RunFolderResult run, double seconds)
    {
        var calibration = run.Calibration;
        // Redirected output has no width; Spectre then assumes 80 columns and wraps every date in two.
        if (!ProgressReporter.Interactive) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 120);
        if (calibration.Count > 0)
        {
            var table = new Table().Title("Calibration against published figures")
                .AddColumns("period", "platform", "metric", "reported", "simulated", "error", "tolerance", "");
            foreach (var r in calibration)
                table.AddRow(r.Period, r.With.Length > 0 ? $"{r.Platform}∩{r.With}" : r.Platform, r.Tiers == "all" ? r.Metric : $"{r.Metric} {r.Tiers}",
                    r.Show(r.Reported), r.Show(r.Simulated), $"{Math.Round(r.RelativeError, 3):+0.0%;-0.0%;0.0%}", $"±{r.Tolerance:0%}",
                    r.WithinTolerance ? "[green]ok[/]" : "[red]outside[/]");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{calibration.Count(r => r.WithinTolerance)} of {calibration.Count} published figures reproduced within tolerance.");
        }
        foreach (var sentence in new CalibrationSummary(calibration, scenario.FittedBy).Sentences(id => id == "all" ? "all platforms" : ScenarioMilestones.PlatformName(scenario, id)))
            AnsiConsole.WriteLine(sentence);
        AnsiConsole.MarkupLine($"{run.AgentSteps:N0} agent-steps in {seconds:F1} s ({Rate(run.AgentSteps / Math.Max(run.StepSeconds, 1e-9))} agent-steps/s while stepping).");
        AnsiConsole.MarkupLine($"Results: [bold]{Markup.Escape(folder)}[/]");
    }
}
