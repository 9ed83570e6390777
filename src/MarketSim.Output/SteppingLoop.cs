using System.Diagnostics;
using MarketSim.Engine;

namespace MarketSim.Output;

/// <summary>The loop every job that writes a run shares (run, bench, sweeps): step, write the step's rows (and agent snapshots), time the writing.</summary>
public static class SteppingLoop
{
    /// <summary>
    /// Steps <paramref name="sim"/> to its end, writing each step's rows as they come. Cancellation is checked only
    /// between steps, so a cancelled run stops with its engine state consistent (a checkpoint can be saved).
    /// </summary>
    /// <param name="sim">The simulation, at any step.</param>
    /// <param name="writer">Receives each step's metrics.</param>
    /// <param name="writeClock">Accumulates the time spent writing.</param>
    /// <param name="afterStep">Runs after each step is written (progress, checkpoints); may be null.</param>
    /// <param name="ct">Stops the loop between steps.</param>
    public static async Task RunAsync(Simulation sim, RunOutputWriter writer, Stopwatch writeClock,
        Func<StepMetrics, Task>? afterStep, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(writeClock);
        while (!sim.Done)
        {
            ct.ThrowIfCancellationRequested();
            var m = sim.Step();
            writeClock.Start();
            await writer.WriteStepAsync(m, ct).ConfigureAwait(false);
            writer.Agents?.Observe(sim);
            writeClock.Stop();
            if (afterStep is not null) await afterStep(m).ConfigureAwait(false);
        }
    }
}
