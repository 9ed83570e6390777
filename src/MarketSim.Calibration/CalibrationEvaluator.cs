using System.Globalization;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;
using MarketSim.ScenarioFiles;

namespace MarketSim.Calibration;

/// <summary>One evaluated point: parameter values, the objective, and each target's simulated value (mean over replications).</summary>
/// <param name="Values">Parameter values in the problem's order.</param>
/// <param name="Objective">The weighted sum over fitted targets.</param>
/// <param name="Simulated">Per target (fitted or not), the mean simulated value over replications.</param>
public sealed record Evaluation(double[] Values, double Objective, double[] Simulated);

/// <summary>Thrown when a point inside the bounds still gives a scenario the validator refuses.</summary>
public sealed class CalibrationInputException(string message) : Exception(message);

/// <summary>
/// Evaluates the model in memory at a parameter vector: scenario → <see cref="MarketModel"/> → <see cref="RunPipeline"/>
/// (no outputs, its calibration tracker set to the fitted targets), once per replication seed, stopping after the step
/// of the last target (nothing is written). The same seeds at every point (common random numbers) make the objective a
/// deterministic function of the parameters, at any thread count. All of an evaluation's model work is here.
/// </summary>
public sealed class CalibrationEvaluator
{
    private readonly string directory, display;

    // Simulations of finished replications, whose agent arrays and tables the next replication takes over (in this
    // process: the global stage's evaluations side by side, the local stage's one after another). One per replication
    // running at a time at most; taking one is exclusive, so no two runs ever share buffers.
    private readonly System.Collections.Concurrent.ConcurrentBag<Simulation> spare = [];

    /// <summary>Creates an evaluator for a checked calibration.</summary>
    public CalibrationEvaluator(CalibrationProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Problem = problem;
        directory = Path.GetDirectoryName(problem.ScenarioPath)!;
        display = Path.GetFileName(problem.ScenarioPath);
    }

    /// <summary>The calibration.</summary>
    public CalibrationProblem Problem { get; }

    /// <summary>
    /// Evaluates a point with up to <paramref name="threads"/> threads: replications run side by side, each simulation
    /// getting an equal share of the threads. The result does not depend on <paramref name="threads"/>.
    /// </summary>
    public Evaluation Evaluate(double[] values, int threads, CancellationToken ct = default)
    {
        var perReplication = Replications(values, threads, ct);
        int r = perReplication.Length;
        var mean = new double[Problem.Targets.Count];
        for (int t = 0; t < mean.Length; t++)
        {
            double sum = 0;
            for (int i = 0; i < r; i++) sum += perReplication[i][t]; // fixed order: the mean is the same at any thread count
            mean[t] = sum / r;
        }
        return new Evaluation(values, Objective(mean), mean);
    }

    /// <summary>
    /// Each replication's simulated target values at a point (replication order), with up to <paramref name="threads"/>
    /// threads as <see cref="Evaluate"/>; the result does not depend on <paramref name="threads"/>.
    /// </summary>
    public double[][] Replications(double[] values, int threads, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        int r = Problem.Seeds.Count;
        int side = Math.Clamp(threads, 1, r);
        int simThreads = Math.Max(1, threads / side);
        var perReplication = new double[r][];
        Parallel.For(0, r, new ParallelOptions { MaxDegreeOfParallelism = side, CancellationToken = ct },
            i => perReplication[i] = Replicate(values, i, simThreads, null, ct));
        return perReplication;
    }

    /// <summary>The objective of simulated target values: Σ weight · error² over fitted targets.</summary>
    public double Objective(IReadOnlyList<double> simulated)
    {
        ArgumentNullException.ThrowIfNull(simulated);
        double sum = 0;
        for (int t = 0; t < Problem.Targets.Count; t++)
        {
            if (!Problem.Fitted[t]) continue;
            double e = Error(Problem.Targets[t].Value, simulated[t]);
            sum += Problem.Targets[t].Weight * e * e;
        }
        // A point where some target is not simulated at all (ln 0) must lose to every real point, not poison the search.
        return double.IsFinite(sum) ? sum : double.MaxValue;
    }

    /// <summary>A target's error under the problem's objective: relative error or log ratio.</summary>
    public double Error(double reported, double simulated) => Problem.Objective == ObjectiveKind.LogRatio
        ? Math.Log(simulated / reported)
        : (simulated - reported) / reported;

    /// <summary>The step metrics of one replication at a point, up to the last target's step (for the report's charts).</summary>
    public IReadOnlyList<StepMetrics> Trajectory(double[] values, int replication, int threads, CancellationToken ct = default)
    {
        var steps = new List<StepMetrics>();
        Replicate(values, replication, threads, steps, ct);
        return steps;
    }

    /// <summary>The model of a point and replication (for dimensions and dates).</summary>
    public MarketModel Model(double[] values, int replication) => Load(values, replication).Model;

    private (ScenarioLoadResult Loaded, MarketModel Model) Load(double[] values, int replication)
    {
        ArgumentNullException.ThrowIfNull(values);
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < Problem.Parameters.Count; i++)
            overrides[Problem.Parameters[i].Path] = values[i].ToString("R", CultureInfo.InvariantCulture);
        overrides["seed"] = Problem.Seeds[replication].ToString(CultureInfo.InvariantCulture);
        var loaded = ScenarioLoader.LoadText(Problem.BaseYaml, display, directory, overrides);
        if (!loaded.Ok || loaded.Scenario is not { } scenario)
            throw new CalibrationInputException("the scenario is invalid at " + Describe(values) + ": " + string.Join("; ", loaded.Problems.Select(p => p.ToString())));
        return (loaded, new MarketModel(scenario));
    }

    // Through the shared run pipeline, without outputs: its tracker compares the fitted targets (not the scenario's own)
    // and stepping stops after the last target's step. With no writer and a synchronous observer every pipeline call
    // completes synchronously, so blocking on it here (inside Parallel.For) neither deadlocks nor costs a thread.
    private double[] Replicate(double[] values, int replication, int simThreads, List<StepMetrics>? steps, CancellationToken ct) =>
        ReplicateAsync(values, replication, simThreads, steps, ct).GetAwaiter().GetResult();

    private async Task<double[]> ReplicateAsync(double[] values, int replication, int simThreads, List<StepMetrics>? steps, CancellationToken ct)
    {
        var (loaded, model) = Load(values, replication);
        var scenario = loaded.Scenario!;
        int last = Problem.Targets.Max(t => model.StepContaining(t.Date));
        var manifest = new RunManifest(scenario.Name, loaded.ResolvedYaml, loaded.Sha256, scenario.Seed, scenario.Population.Agents,
            model.PeoplePerAgent, replication, ProgramVersion: "");
        spare.TryTake(out var reuse);
        await using var pipeline = RunPipeline.Start(model, manifest, simThreads, ct: ct, calibrationTargets: Problem.Targets, reuse: reuse);
        if (steps is not null) pipeline.Observe(steps.Add);
        await pipeline.StepThroughAsync(last, ct).ConfigureAwait(false);
        // Before the results are read: nothing below touches the simulation, and a cancelled or failed replication
        // (an exception above) leaves its simulation to the collector rather than here.
        spare.Add(pipeline.Simulation);
        var simulated = new double[Problem.Targets.Count];
        var seen = new bool[simulated.Length];
        foreach (var row in pipeline.Calibration.Rows)
        {
            simulated[row.Target] = row.Simulated;
            seen[row.Target] = true;
        }
        int missing = Array.IndexOf(seen, false);
        if (missing >= 0) throw new InvalidOperationException($"calibration target {missing + 1} was not compared although the calendar covers it");
        return simulated;
    }

    private string Describe(double[] values) =>
        string.Join(", ", Problem.Parameters.Select((p, i) => $"{p.Path} = {values[i].ToString("R", CultureInfo.InvariantCulture)}"));
}
