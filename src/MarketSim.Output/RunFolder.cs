using System.Diagnostics;
using MarketSim.Calibration;
using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Output;

/// <summary>How a run folder is written.</summary>
/// <param name="Threads">Worker threads, 0 = all cores; results do not depend on it.</param>
/// <param name="CheckpointEvery">Save a checkpoint every this many steps (and on interruption); 0 = only a resumed run's.</param>
/// <param name="Charts">Draw the charts (when the scenario's outputs ask for them).</param>
/// <param name="Extra">Writes further files into the folder from every step's metrics after the run and its charts,
/// before <c>_SUCCESS</c> (e.g. <c>run --posterior</c>'s bands); null for none.</param>
/// <param name="ExtraFiles">The names <paramref name="Extra"/> may write, removed when the run fails to be written.</param>
public sealed record RunFolderOptions(int Threads = 0, int CheckpointEvery = 0, bool Charts = true,
    Func<string, IReadOnlyList<StepMetrics>, CancellationToken, Task>? Extra = null, IReadOnlyList<string>? ExtraFiles = null);

/// <summary>How a run-folder job ended.</summary>
public enum RunFolderOutcome
{
    /// <summary>Every table written, charts drawn, <c>_SUCCESS</c> last.</summary>
    Completed,

    /// <summary>Cancelled between steps (or in the burn-in); a checkpoint was saved when <see cref="RunFolderResult.CheckpointKept"/>.</summary>
    Interrupted,

    /// <summary>The checkpoint's engine state does not belong to this model (<see cref="RunFolderResult.Message"/> says why).</summary>
    InvalidCheckpoint,

    /// <summary>Another process holds the folder's lock (<see cref="RunFolderResult.Message"/> names it); nothing was written.</summary>
    Busy,

    /// <summary>The environment stopped the writing (<see cref="RunFolderResult.Fault"/>); nothing of the run is left visible.</summary>
    WriteFailed,
}

/// <summary>What a run-folder job did.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Message">For <see cref="RunFolderOutcome.InvalidCheckpoint"/> and <see cref="RunFolderOutcome.Busy"/>: the one line to show.</param>
/// <param name="Fault">For <see cref="RunFolderOutcome.WriteFailed"/>: the file-system exception.</param>
/// <param name="Step">The step the engine stood at when it ended.</param>
/// <param name="CheckpointKept">A checkpoint is in the folder (<c>marketsim run --resume</c> goes on from it).</param>
/// <param name="Calibration">Published figures against the simulation (a completed run's).</param>
/// <param name="AgentSteps">Agent-steps simulated.</param>
/// <param name="StepSeconds">Seconds spent stepping.</param>
public sealed record RunFolderResult(RunFolderOutcome Outcome, string Message, Exception? Fault, int Step, bool CheckpointKept,
    IReadOnlyList<CalibrationRow> Calibration, long AgentSteps, double StepSeconds);

/// <summary>What a caller sees of a run-folder job while it runs: the start, and the stepping (for a progress display).</summary>
public interface IRunFolderProgress
{
    /// <summary>The engine is ready: new at step 0, or restored from the checkpoint (<paramref name="resumed"/>).</summary>
    void Initialised(Simulation simulation, bool resumed) { }

    /// <summary>
    /// Runs <paramref name="stepping"/>, the rest of the run (<paramref name="steps"/> steps); it calls its argument after
    /// every step. The default runs it without display.
    /// </summary>
    Task SteppingAsync(int steps, Func<Action<StepMetrics>, Task> stepping) => stepping(_ => { });
}

/// <summary>
/// One run written to its folder, the way <c>marketsim run</c> does it (sweeps and compare own their folders in their
/// libraries): the folder's lock, outputs opened through <see cref="RunPipeline"/>, a resumed run's steps replayed,
/// checkpoints at the asked cadence and on interruption, charts, <c>_SUCCESS</c> last, and after a fault nothing of
/// the run left visible. Loading the scenario or the checkpoint, and what a person is told, stay with the caller.
/// </summary>
public static class RunFolder
{
    /// <summary>Hidden marker beside the checkpoint saying the run was started without charts.</summary>
    public static string NoChartsMarker(string folder) => RunCheckpoint.PathIn(folder) + ".no-charts";

    /// <summary>Runs <paramref name="model"/> into <paramref name="folder"/>; see <see cref="RunFolderOutcome"/> for how it can end.</summary>
    /// <param name="model">The compiled scenario.</param>
    /// <param name="manifest">The run's identity (its resolved YAML and hash are also what a checkpoint stores).</param>
    /// <param name="folder">The run folder: new, reused (its <c>_SUCCESS</c> is removed first) or the resumed run's.</param>
    /// <param name="options">Threads, checkpoint cadence, charts.</param>
    /// <param name="checkpoint">The checkpoint to resume from (its engine state is read here; the caller disposes it), or null.</param>
    /// <param name="drawCharts">Draws the charts into the folder from every step's metrics; null for none.</param>
    /// <param name="progress">What the caller sees while it runs; null for nothing.</param>
    /// <param name="clock">Started when the caller began (load included): run.json's total time.</param>
    /// <param name="startedUtc">When the caller began: run.json's start.</param>
    /// <param name="ct">Stops the run between steps (a checkpoint is saved when one is kept).</param>
    public static async Task<RunFolderResult> RunAsync(MarketModel model, RunManifest manifest, string folder, RunFolderOptions options,
        RunCheckpointData? checkpoint, Action<string, IReadOnlyList<StepMetrics>>? drawCharts, IRunFolderProgress? progress,
        Stopwatch clock, DateTimeOffset startedUtc, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        progress ??= new Silent();
        // A resumed run draws charts as the run was started: no charts is remembered beside the checkpoint.
        if (checkpoint is not null && File.Exists(NoChartsMarker(folder))) options = options with { Charts = false };
        RunPipeline pipeline;
        try
        {
            pipeline = RunPipeline.Start(model, manifest, options.Threads, checkpoint?.EngineState, ct: ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Interrupted in the burn-in, before anything was written.
            return new(RunFolderOutcome.Interrupted, "", null, 0, false, [], 0, 0);
        }
        catch (InvalidDataException e)
        {
            return new(RunFolderOutcome.InvalidCheckpoint, $"{RunCheckpoint.PathIn(folder)}: {e.Message}", null, 0, false, [], 0, 0);
        }
        await using var run = pipeline;
        var sim = pipeline.Simulation;
        progress.Initialised(sim, checkpoint is not null);
        RunFolderResult Ended(RunFolderOutcome outcome, string message = "", Exception? fault = null, bool checkpointKept = false) =>
            new(outcome, message, fault, sim.CurrentStep, checkpointKept, pipeline.Calibration.Rows, sim.AgentSteps, sim.StepSeconds);

        bool created = !Directory.Exists(folder);
        var agents = AgentSnapshotRecorder.For(model);
        if (checkpoint is not null && agents is not null)
        {
            // The snapshots taken before the checkpoint follow the engine state in the same stream.
            try { agents.Load(checkpoint.EngineState); }
            catch (InvalidDataException e) { return Ended(RunFolderOutcome.InvalidCheckpoint, $"{RunCheckpoint.PathIn(folder)}: {e.Message}"); }
        }
        Action<Stream> saveState = stream =>
        {
            sim.SaveState(stream);
            agents?.Save(stream);
        };
        FolderLock? folderLock;
        try
        {
            Directory.CreateDirectory(folder);
            folderLock = FolderLock.TryAcquire(folder, out string holder);
            if (folderLock is null)
                return Ended(RunFolderOutcome.Busy, $"{folder} is being written by another marketsim process ({holder}); " +
                                                    "wait for it to finish or use another --out. Nothing was written.");
        }
        catch (Exception e) when (IsEnvironmental(e))
        {
            return WriteFailed(folder, created, e, Ended, options.ExtraFiles);
        }
        using var held = folderLock;
        try
        {
            // A folder reused through --out must not look complete while it is being rewritten.
            File.Delete(Path.Combine(folder, "_SUCCESS"));
            await pipeline.OpenOutputsAsync(folder, OutputSelection.Of(model.Scenario.Outputs), agents, ct);
        }
        catch (Exception e) when (IsEnvironmental(e))
        {
            return WriteFailed(folder, created, e, Ended, options.ExtraFiles);
        }
        var steps = new List<StepMetrics>(model.Steps);
        bool completed = false;
        try
        {
            await pipeline.ReplayAsync(checkpoint?.Steps ?? [], ct);
            steps.AddRange(checkpoint?.Steps ?? []);
            await progress.SteppingAsync(model.Steps - sim.CurrentStep, async advance =>
            {
                pipeline.Observe(async m =>
                {
                    steps.Add(m);
                    if (options.CheckpointEvery > 0 && sim.CurrentStep % options.CheckpointEvery == 0 && !sim.Done)
                        await SaveCheckpointAsync(options, folder, manifest, steps, saveState);
                    advance(m);
                });
                await pipeline.StepToEndAsync(ct);
            });

            double chartSeconds = 0;
            if (options.Charts && model.Scenario.Outputs.Charts && drawCharts is not null)
            {
                var chartClock = Stopwatch.StartNew();
                drawCharts(folder, steps);
                chartSeconds = chartClock.Elapsed.TotalSeconds;
            }
            if (options.Extra is { } extra) await extra(folder, steps, ct);
            await pipeline.CompleteAsync(pipeline.Timings(chartSeconds, clock.Elapsed.TotalSeconds, startedUtc), ct: ct);
            completed = true;
            File.Delete(RunCheckpoint.PathIn(folder));
            File.Delete(NoChartsMarker(folder));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            foreach (var name in options.ExtraFiles ?? []) File.Delete(Path.Combine(folder, name));
            if (options.CheckpointEvery == 0 && checkpoint is null) return Ended(RunFolderOutcome.Interrupted);
            // The loop stops only between steps, so the engine state is consistent: save it so that the run can go on.
            await SaveCheckpointAsync(options, folder, manifest, steps, saveState);
            return Ended(RunFolderOutcome.Interrupted, checkpointKept: true);
        }
        catch (Exception e) when (IsEnvironmental(e))
        {
            await pipeline.DisposeAsync();
            return WriteFailed(folder, created, e, Ended, options.ExtraFiles);
        }
        finally
        {
            if (!completed)
            {
                await pipeline.DisposeAsync();
                if (created) FolderLock.DeleteIfOnlyLock(folder);
            }
        }
        return Ended(RunFolderOutcome.Completed);
    }

    private static bool IsEnvironmental(Exception e) => e is IOException or UnauthorizedAccessException;

    /// <summary>
    /// A disk full, a read-only or vanished folder while writing: nothing of this run left visible. The writer has
    /// removed its tables; charts already published are removed here. A checkpoint (hidden, written atomically) is
    /// kept: the run can resume from it once there is room.
    /// </summary>
    private static RunFolderResult WriteFailed(string folder, bool created, Exception e,
        Func<RunFolderOutcome, string, Exception?, bool, RunFolderResult> ended, IReadOnlyList<string>? extraFiles)
    {
        bool kept = File.Exists(RunCheckpoint.PathIn(folder));
        try
        {
            if (Directory.Exists(folder))
            {
                foreach (var png in Directory.EnumerateFiles(folder, "*.png")) File.Delete(png);
                foreach (var temp in Directory.EnumerateFiles(folder, ".*.tmp")) File.Delete(temp);
                foreach (var name in extraFiles ?? []) File.Delete(Path.Combine(folder, name));
                if (created) FolderLock.DeleteIfOnlyLock(folder);
            }
        }
        catch (Exception cleanup) when (IsEnvironmental(cleanup))
        {
            // The same fault may stop the clean-up (a read-only folder); nothing more can be done from here.
        }
        return ended(RunFolderOutcome.WriteFailed, "", e, kept);
    }

    private static async Task SaveCheckpointAsync(RunFolderOptions options, string folder, RunManifest manifest, List<StepMetrics> steps,
        Action<Stream> saveState)
    {
        await RunCheckpoint.SaveAsync(folder, manifest.ResolvedScenarioYaml, manifest.ScenarioSha256, steps, saveState, CancellationToken.None);
        if (!options.Charts) await File.WriteAllBytesAsync(NoChartsMarker(folder), []);
    }

    private sealed class Silent : IRunFolderProgress;
}
