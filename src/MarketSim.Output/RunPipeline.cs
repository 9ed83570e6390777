using System.Diagnostics;
using MarketSim.Calibration;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Output;

/// <summary>
/// The one way a scenario is run, shared by <c>run</c>, <c>sweep</c>, <c>bench</c>, <c>compare</c>, attribution and
/// <c>calibrate</c>:
/// model → simulation (new, or restored from a checkpoint) → outputs (optional) → stepping with observers →
/// completion. Loading the scenario stays with the caller (a file with overrides, a checkpoint's YAML, a sweep point,
/// a comparison arm), and so does what surrounds the run (folder locks, charts, markers).
/// </summary>
/// <remarks>
/// Observers see every new step after it was written, in step order, on the stepping thread: progress, checkpoints,
/// named outputs, calibration. Cancellation is checked between steps only, so a cancelled run stops with its engine
/// state consistent (a checkpoint can be saved). Not thread-safe: one pipeline is one sequential run.
/// </remarks>
public sealed class RunPipeline : IAsyncDisposable
{
    private readonly Stopwatch writeClock = new();
    private readonly List<Func<StepMetrics, Task>> observers = [];
    private RunOutputWriter? writer;

    private RunPipeline(MarketModel model, Simulation sim, RunManifest manifest, IReadOnlyList<CalibrationTargetSpec>? targets)
    {
        Model = model;
        Simulation = sim;
        Manifest = manifest;
        Calibration = targets is null ? new CalibrationTracker(model) : new CalibrationTracker(model, targets);
    }

    /// <summary>Builds the population (or restores it) for <paramref name="model"/>.</summary>
    /// <param name="model">The compiled scenario.</param>
    /// <param name="manifest">The run's identity, stored in every output file.</param>
    /// <param name="threads">Worker threads, 0 = all cores; results do not depend on it.</param>
    /// <param name="engineState">A checkpoint's engine state to resume from; null to start at step 0.</param>
    /// <param name="calibrationTargets">
    /// The published figures <see cref="Calibration"/> compares; null for the scenario's own (what a run writes to
    /// calibration.parquet). <c>calibrate</c> passes the targets it fits.
    /// </param>
    /// <param name="reuse">
    /// A finished run's simulation whose agent arrays and tables the new one takes where they fit
    /// (<see cref="Simulation.Create"/>): the same results, without allocating them again. Null to allocate.
    /// </param>
    /// <param name="ct">Stops a new simulation's burn-in (the one long part of starting).</param>
    /// <exception cref="InvalidDataException">The engine state does not belong to this model.</exception>
    public static RunPipeline Start(MarketModel model, RunManifest manifest, int threads, Stream? engineState = null,
        IReadOnlyList<CalibrationTargetSpec>? calibrationTargets = null, Simulation? reuse = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(manifest);
        var sim = engineState is null ? Simulation.Create(model, threads, reuse, ct) : Simulation.Restore(model, engineState, threads, reuse);
        return new RunPipeline(model, sim, manifest, calibrationTargets);
    }

    /// <summary>The compiled scenario.</summary>
    public MarketModel Model { get; }

    /// <summary>The engine.</summary>
    public Simulation Simulation { get; }

    /// <summary>The run's identity.</summary>
    public RunManifest Manifest { get; }

    /// <summary>Published figures against the simulation, fed every step (replayed ones too).</summary>
    public CalibrationTracker Calibration { get; }

    /// <summary>The open outputs, or null for a run that writes none.</summary>
    public RunOutputWriter? Writer => writer;

    /// <summary>Seconds spent writing outputs so far (steps and completion).</summary>
    public double WriteSeconds => writeClock.Elapsed.TotalSeconds;

    /// <summary>Opens the run's tables in <paramref name="folder"/> (see <see cref="RunOutputWriter.CreateAsync"/>).</summary>
    public async Task OpenOutputsAsync(string folder, OutputSelection selection, AgentSnapshotRecorder? agents = null, CancellationToken ct = default)
    {
        if (writer is not null) throw new InvalidOperationException("The run's outputs are already open.");
        writer = await RunOutputWriter.CreateAsync(folder, Model.Dimensions, Manifest, selection, ct: ct, agents: agents).ConfigureAwait(false);
    }

    /// <summary>Adds an observer of every new step (not of replayed ones).</summary>
    public RunPipeline Observe(Func<StepMetrics, Task> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        observers.Add(observer);
        return this;
    }

    /// <summary>Adds a synchronous observer of every new step (not of replayed ones).</summary>
    public RunPipeline Observe(Action<StepMetrics> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return Observe(m =>
        {
            observer(m);
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Feeds a checkpoint's steps to fresh outputs and the calibration tracker: the same row groups, hence the same
    /// bytes, as a run that never stopped.
    /// </summary>
    public async Task ReplayAsync(IEnumerable<StepMetrics> steps, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach (var m in steps)
        {
            if (writer is not null) await writer.WriteStepAsync(m, ct).ConfigureAwait(false);
            Calibration.Observe(m);
        }
    }

    /// <summary>Steps to the end: each step is written (with its agent snapshots), then tracked, then observed.</summary>
    public Task StepToEndAsync(CancellationToken ct) => StepThroughAsync(Model.Steps - 1, ct);

    /// <summary>
    /// Steps as <see cref="StepToEndAsync"/> does, but stops after step <paramref name="lastStep"/> (or the end): for
    /// runs that need only the start of the calendar, such as a calibration whose last target falls before the end.
    /// Without outputs and with synchronous observers it completes synchronously.
    /// </summary>
    /// <exception cref="InvalidOperationException">Outputs are open and <paramref name="lastStep"/> is before the end: they would be incomplete.</exception>
    public async Task StepThroughAsync(int lastStep, CancellationToken ct)
    {
        if (writer is not null && lastStep < Model.Steps - 1)
            throw new InvalidOperationException("A run with outputs steps to its end.");
        var sim = Simulation;
        while (!sim.Done && sim.CurrentStep <= lastStep)
        {
            ct.ThrowIfCancellationRequested();
            var m = sim.Step();
            if (writer is not null)
            {
                writeClock.Start();
                await writer.WriteStepAsync(m, ct).ConfigureAwait(false);
                writer.Agents?.Observe(sim);
                writeClock.Stop();
            }
            Calibration.Observe(m);
            foreach (var observer in observers) await observer(m).ConfigureAwait(false);
        }
    }

    /// <summary>Where the time went, for run.json; <paramref name="chartSeconds"/> and the totals come from the caller.</summary>
    public RunTimings Timings(double chartSeconds, double totalSeconds, DateTimeOffset startedUtc)
    {
        var sim = Simulation;
        return new RunTimings(sim.InitialiseSeconds, sim.StepSeconds, sim.AggregateSeconds, WriteSeconds, chartSeconds, totalSeconds,
            sim.Threads, AgentStepsPerSecond, startedUtc, DateTimeOffset.UtcNow);
    }

    /// <summary>Agent-steps per second while stepping.</summary>
    public double AgentStepsPerSecond => Simulation.AgentSteps / Math.Max(Simulation.StepSeconds, 1e-9);

    /// <summary>
    /// Publishes the outputs (calibration rows unless <paramref name="withCalibration"/> is false, run.json with
    /// <paramref name="timings"/>, <c>_SUCCESS</c> last); the time it takes counts as writing.
    /// </summary>
    public async Task CompleteAsync(RunTimings timings, bool withCalibration = true, CancellationToken ct = default)
    {
        var writer = this.writer ?? throw new InvalidOperationException("The run has no outputs to complete.");
        writeClock.Start();
        try
        {
            await writer.CompleteAsync(withCalibration ? Calibration.Rows : [], timings, ct).ConfigureAwait(false);
        }
        finally
        {
            writeClock.Stop();
        }
    }

    /// <summary>Releases the outputs; an incomplete run's files are removed (see <see cref="RunOutputWriter.DisposeAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        if (writer is not null) await writer.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Steps a run that writes nothing to its end on the calling thread, giving each step to <paramref name="observe"/>:
    /// the form comparisons and attribution use, many replications at once on their own threads.
    /// </summary>
    public static void StepToEnd(Simulation sim, Action<StepMetrics> observe, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(observe);
        while (!sim.Done)
        {
            ct.ThrowIfCancellationRequested();
            observe(sim.Step());
        }
    }
}
