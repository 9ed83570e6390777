using System.Diagnostics;
using MarketSim.Calibration;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;

namespace MarketSim.Compare;

/// <summary>One simulated run: its per-step aggregates and the people one agent stands for.</summary>
/// <param name="PeoplePerAgent">Scale from agents to people.</param>
/// <param name="Steps">Aggregates of every step.</param>
/// <param name="Calibration">The arm's published figures against its simulated values (as in a run's calibration.parquet).</param>
public sealed record ArmRun(double PeoplePerAgent, StepMetrics[] Steps, IReadOnlyList<CalibrationRow> Calibration);

/// <summary>All runs of a comparison: <c>Runs[r][arm]</c>, with the shared dimensions and step dates.</summary>
/// <param name="Dimensions">Tier and platform ids and names (the scenario's).</param>
/// <param name="Dates">First day of each step.</param>
/// <param name="Runs">Replication × arm.</param>
/// <param name="Seconds">Wall-clock seconds the simulations took.</param>
/// <param name="AgentSteps">Agent-steps simulated over all runs.</param>
/// <param name="Draws">Parameter sets of a posterior comparison (K ≥ 1; run i belongs to draw i ÷ (runs ÷ K)), 0 without a posterior.</param>
public sealed record CompareRuns(ModelDimensions Dimensions, DateOnly[] Dates, ArmRun[][] Runs, double Seconds, long AgentSteps, int Draws = 0)
{
    /// <summary>Number of runs of each arm (replications × draws under a posterior).</summary>
    public int Replications => Runs.Length;

    /// <summary>Number of steps.</summary>
    public int Steps => Dates.Length;

    /// <summary>One arm of one replication.</summary>
    public ArmRun Get(int r, Arm arm) => Runs[r][(int)arm];
}

/// <summary>
/// Runs the 2R simulations of a plan, several at once, keeping only per-step aggregates: at most
/// <see cref="Concurrency"/> populations are alive at any moment.
/// </summary>
public static class CompareRunner
{
    /// <summary>
    /// How many simulations run at once and with how many threads each: as many at once as there are threads (a
    /// simulation on one thread wastes nothing on synchronisation), bounded by the runs to do and by memory (half of
    /// what the GC may use, so two populations of a million agents never push the machine into swap).
    /// </summary>
    public static (int Concurrent, int ThreadsEach) Concurrency(ComparePlan plan, int threads)
    {
        int total = threads > 0 ? threads : Environment.ProcessorCount;
        int jobs = 2 * plan.Replications;
        long bytes = Math.Max(1, Simulation.EstimateBytes(new MarketModel(plan.Scenario)));
        long budget = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;
        int byMemory = (int)Math.Clamp(budget / bytes, 1, int.MaxValue);
        int concurrent = Math.Max(1, Math.Min(Math.Min(total, jobs), byMemory));
        return (concurrent, Math.Max(1, total / concurrent));
    }

    /// <summary>
    /// Runs every replication of both arms. <paramref name="stepDone"/> is called after each simulated step, possibly
    /// from several threads at once. Results do not depend on the thread count or on which run finishes first.
    /// </summary>
    public static CompareRuns Run(ComparePlan plan, int threads, Action? stepDone = null, CancellationToken ct = default) =>
        Run(plan, threads, null, null, stepDone, ct);

    /// <summary>
    /// As <see cref="Run(ComparePlan, int, Action?, CancellationToken)"/>, reusing the baseline's runs of an earlier call
    /// when <paramref name="baseline"/> is given (the studio's cache: then only the scenario arm is simulated), and making
    /// each simulation with <paramref name="start"/> when given (e.g. from a saved state at the start date; otherwise
    /// <c>new Simulation(model, threads, ct)</c>).
    /// </summary>
    public static CompareRuns Run(ComparePlan plan, int threads, IReadOnlyList<ArmRun>? baseline,
        Func<MarketModel, int, CancellationToken, Simulation>? start, Action? stepDone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (baseline is not null && baseline.Count != plan.Replications)
            throw new ArgumentException($"{baseline.Count} baseline runs for {plan.Replications} replications", nameof(baseline));
        var clock = Stopwatch.StartNew();
        var (concurrent, each) = Concurrency(plan, threads);
        int arms = baseline is null ? 2 : 1;
        int jobs = arms * plan.Replications;
        if (concurrent > jobs) (concurrent, each) = (jobs, Math.Max(1, concurrent * each / jobs));
        var runs = new ArmRun[plan.Replications][];
        for (int r = 0; r < runs.Length; r++) runs[r] = baseline is null ? new ArmRun[2] : [null!, baseline[r]];
        var model0 = new MarketModel(plan.Scenario);
        long agentSteps = 0;
        int next = -1;
        // One failure (or Ctrl+C) stops every worker at its next step instead of letting long runs finish for nothing.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var token = stop.Token;

        // Workers take the next job in order (r0 scenario, r0 baseline, r1 scenario …) so both arms of a replication
        // tend to finish together; where each result lands depends only on its job number.
        void Worker()
        {
            int job;
            while ((job = Interlocked.Increment(ref next)) < jobs)
            {
                token.ThrowIfCancellationRequested();
                int r = job / arms;
                var arm = (Arm)(job % arms);
                var model = new MarketModel(plan.LoadArm(arm, r));
                var sim = start is null ? new Simulation(model, each, token) : start(model, each, token);
                var steps = new StepMetrics[model.Steps];
                var calibration = new CalibrationTracker(model);
                RunPipeline.StepToEnd(sim, m =>
                {
                    steps[m.Step] = m;
                    calibration.Observe(m);
                    stepDone?.Invoke();
                }, token);
                Interlocked.Add(ref agentSteps, sim.AgentSteps);
                runs[r][(int)arm] = new ArmRun(model.PeoplePerAgent, steps, calibration.Rows);
            }
        }

        var workers = new Thread[concurrent];
        Exception? failure = null;
        for (int w = 0; w < concurrent; w++)
        {
            workers[w] = new Thread(() =>
            {
                try { Worker(); }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    stop.Cancel();
                }
            })
            { IsBackground = true, Name = $"compare-{w}" };
            workers[w].Start();
        }
        foreach (var t in workers) t.Join();
        if (failure is not null)
        {
            if (failure is OperationCanceledException) ct.ThrowIfCancellationRequested();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        var dates = Enumerable.Range(0, model0.Steps).Select(model0.StepDate).ToArray();
        return new CompareRuns(model0.Dimensions, dates, runs, clock.Elapsed.TotalSeconds, agentSteps, plan.Posterior ? plan.Draws : 0);
    }
}
