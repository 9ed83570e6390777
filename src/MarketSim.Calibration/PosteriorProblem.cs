using MarketSim.Calibration.Posterior;

namespace MarketSim.Calibration;

/// <summary>
/// A checked posterior calibration: the calibration (its parameters the fitted ones, then the assumed ones, each with
/// its prior's bounds and scale), the model discrepancy and the settings of history matching and ABC-SMC.
/// </summary>
public sealed class PosteriorProblem
{
    internal PosteriorProblem(CalibrationProblem problem, int fittedCount, IReadOnlyList<string> priorSources, double discrepancy,
        HistoryMatchingSettings historyMatching, AbcSettings abc, (Box Box, double HalfWidth)? start = null)
    {
        Start = start?.Box ?? Box.Unit(problem.Parameters.Count);
        StartHalfWidth = start?.HalfWidth;
        Problem = problem;
        FittedCount = fittedCount;
        PriorSources = priorSources;
        Discrepancy = discrepancy;
        HistoryMatching = historyMatching;
        Abc = abc;
    }

    /// <summary>The calibration: every sampled parameter (fitted, then assumed) with its prior's bounds.</summary>
    public CalibrationProblem Problem { get; }

    /// <summary>The first this many parameters are the file's fitted ones; the rest are assumed.</summary>
    public int FittedCount { get; }

    /// <summary>Per parameter, where its prior comes from.</summary>
    public IReadOnlyList<string> PriorSources { get; }

    /// <summary>Model discrepancy's standard deviation as a share of each figure.</summary>
    public double Discrepancy { get; }

    /// <summary>History matching's settings (0 waves: none).</summary>
    public HistoryMatchingSettings HistoryMatching { get; }

    /// <summary>ABC-SMC's settings.</summary>
    public AbcSettings Abc { get; }

    /// <summary>Where the search starts, in the priors' unit cube: the whole cube, or a box around the scenario's values (<c>posterior.region</c>).</summary>
    public Box Start { get; }

    /// <summary>The starting box's half-width around the scenario's values; null when the search starts from the whole prior.</summary>
    public double? StartHalfWidth { get; }

    /// <summary>
    /// The figures as history matching and ABC see them: Var_obs = (tolerance × figure)², the target's tolerance read as
    /// one standard uncertainty of the published figure; Var_md = (discrepancy × figure)²; the weight of a fitted
    /// target, 0 for one held out (reported in the posterior-predictive table, never used to fit).
    /// </summary>
    public Observations Observations()
    {
        var t = Problem.Targets;
        return new Observations(
            [.. t.Select(x => x.Value)],
            [.. t.Select(x => Math.Pow(x.Tolerance * x.Value, 2))],
            [.. t.Select(x => Math.Pow(Discrepancy * x.Value, 2))],
            [.. t.Select((x, i) => Problem.Fitted[i] ? x.Weight : 0)]);
    }
}

/// <summary>
/// MarketSim as the posterior's model: a unit-cube point maps to parameter values through each prior (linear or
/// logarithmic between its bounds), every point is simulated under the calibration's fixed replication seeds (common
/// random numbers: the streams are ignored), points side by side, each on one thread, as calibrate's global stage.
/// Every point goes through the log first.
/// </summary>
public sealed class CalibrationPosteriorModel(CalibrationEvaluator evaluator, PosteriorLog log, int threads) : IPosteriorModel
{
    private int ran;

    /// <summary>Points simulated by this process (the rest came from the log).</summary>
    public int Ran => ran;

    /// <summary>Called after each point is available, from any thread (for progress): true when it was simulated now.</summary>
    public Action<bool>? Evaluated { get; set; }

    /// <inheritdoc />
    public int Dimensions => evaluator.Problem.Parameters.Count;

    /// <summary>The parameter values of a unit-cube point.</summary>
    public double[] Values(IReadOnlyList<double> unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return [.. evaluator.Problem.Parameters.Select((p, d) => p.AtUnit(unit[d]))];
    }

    /// <inheritdoc />
    public IReadOnlyList<SimulatedPoint> Simulate(IReadOnlyList<double[]> unitPoints, IReadOnlyList<ulong> streams, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(unitPoints);
        var result = new SimulatedPoint[unitPoints.Count];
        Parallel.For(0, unitPoints.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = ct }, i =>
        {
            ct.ThrowIfCancellationRequested();
            var x = Values(unitPoints[i]);
            bool fresh = false;
            if (!log.TryGet(x, out var reps))
            {
                reps = evaluator.Replications(x, 1, ct);
                log.Add(x, reps);
                Interlocked.Increment(ref ran);
                fresh = true;
            }
            result[i] = SimulatedPoint.FromReplications(reps);
            Evaluated?.Invoke(fresh);
        });
        return result;
    }
}

/// <summary>What a posterior calibration gave: history matching's waves, ABC's generations, and the final population.</summary>
/// <param name="Waves">History matching's waves, in order.</param>
/// <param name="Region">The region ABC sampled (the last wave's, or the whole prior).</param>
/// <param name="Generations">ABC's generations, in order (the last may be abandoned).</param>
/// <param name="Ran">Points simulated by this process.</param>
/// <param name="Reused">Points read from the log.</param>
public sealed record PosteriorResult(IReadOnlyList<Wave> Waves, Box Region, IReadOnlyList<Generation> Generations, int Ran, int Reused)
{
    /// <summary>The posterior sample: the last complete generation.</summary>
    public Generation Final => AbcSmc.Final(Generations);
}

/// <summary>History matching's waves, then ABC-SMC inside the region they leave.</summary>
public static class PosteriorCalibrator
{
    /// <summary>Runs both stages; throws <see cref="OperationCanceledException"/> on cancellation with the log consistent.</summary>
    public static PosteriorResult Run(PosteriorProblem posterior, CalibrationPosteriorModel model, int reused, int threads,
        Action<string>? stage = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(posterior);
        ArgumentNullException.ThrowIfNull(model);
        var obs = posterior.Observations();
        IReadOnlyList<Wave> waves = [];
        var region = posterior.Start;
        if (posterior.HistoryMatching.Waves > 0)
        {
            stage?.Invoke("history matching");
            waves = HistoryMatching.Run(model, obs, posterior.HistoryMatching, null, region, ct);
            region = waves[^1].Next!;
        }
        stage?.Invoke("ABC-SMC");
        var generations = AbcSmc.Run(model, obs.Distance, region, posterior.Abc, batch: Math.Max(1, threads), null, ct);
        return new PosteriorResult(waves, region, generations, model.Ran, reused);
    }
}
