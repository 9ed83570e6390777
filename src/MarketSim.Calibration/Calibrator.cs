using MarketSim.Sweeps;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace MarketSim.Calibration;

/// <summary>The search stage an evaluation belongs to.</summary>
public enum CalibrationStage
{
    /// <summary>The space-filling design over the bounds.</summary>
    Global,

    /// <summary>Nelder–Mead from the best global points.</summary>
    Local,
}

/// <summary>One distinct evaluated point, in search order.</summary>
/// <param name="Index">0-based position in the search (global points in design order, then local points as proposed).</param>
/// <param name="Stage">The stage that first asked for the point.</param>
/// <param name="Start">For local points, which start (0-based) proposed it; −1 for global points.</param>
/// <param name="Evaluation">Values, objective and simulated targets.</param>
public sealed record EvaluationRecord(int Index, CalibrationStage Stage, int Start, Evaluation Evaluation);

/// <summary>What a calibration found.</summary>
/// <param name="Records">Every distinct point, in search order.</param>
/// <param name="Best">The point of least objective (the earliest on ties).</param>
/// <param name="Ran">Evaluations run by this process.</param>
/// <param name="Reused">Evaluations taken from the log of an earlier, interrupted run.</param>
public sealed record CalibrationResult(IReadOnlyList<EvaluationRecord> Records, EvaluationRecord Best, int Ran, int Reused);

/// <summary>
/// The two-stage search. Global: the design's points (LHS or Sobol in the unit cube, <see cref="Designs"/>) evaluated
/// side by side, one thread each. Local: MathNet's Nelder–Mead simplex from the best distinct global points, in
/// logit(u) space so every vertex maps inside the bounds, each point with all threads. Every evaluation goes through the
/// log first, so a resumed search reads what it already has; being deterministic, it retraces the same path.
/// </summary>
public sealed class Calibrator
{
    private readonly CalibrationEvaluator evaluator;
    private readonly EvaluationLog log;
    private readonly int threads;
    private readonly List<EvaluationRecord> records = new();
    private readonly HashSet<string> recorded = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private int ran;

    /// <summary>Creates a search over <paramref name="evaluator"/>'s problem that logs to <paramref name="log"/>.</summary>
    public Calibrator(CalibrationEvaluator evaluator, EvaluationLog log, int threads)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(log);
        this.evaluator = evaluator;
        this.log = log;
        this.threads = Math.Max(1, threads);
    }

    /// <summary>Called after each point is available (run or read from the log), from any thread; for progress.</summary>
    public Action<EvaluationRecord, bool>? Evaluated { get; set; }

    /// <summary>Total evaluations the budget allows (global points + local evaluations), for progress.</summary>
    public int Budget => evaluator.Problem.Budget.GlobalPoints + evaluator.Problem.Budget.LocalEvaluations;

    /// <summary>The unit-cube points of the global stage.</summary>
    public static double[][] GlobalDesign(CalibrationProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var b = problem.Budget;
        int dims = problem.Parameters.Count;
        return b.Design == "sobol" ? Designs.Sobol(b.GlobalPoints, dims) : Designs.LatinHypercube(b.GlobalPoints, dims, b.DesignSeed);
    }

    /// <summary>Runs both stages; throws <see cref="OperationCanceledException"/> on cancellation with the log consistent.</summary>
    public CalibrationResult Run(CancellationToken ct = default)
    {
        var problem = evaluator.Problem;
        var design = GlobalDesign(problem);
        var points = design.Select(u => problem.Parameters.Select((p, d) => p.AtUnit(u[d])).ToArray()).ToArray();

        // Global: missing points side by side, one thread each; records in design order whatever the completion order.
        var results = new Evaluation[points.Length];
        Parallel.For(0, points.Length, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = ct },
            i => results[i] = Get(points[i], 1, CalibrationStage.Global, -1, notify: true, ct));
        for (int i = 0; i < points.Length; i++) Record(results[i], CalibrationStage.Global, -1);

        // Local: from the best distinct global points.
        var starts = records.OrderBy(r => r.Evaluation.Objective).ThenBy(r => r.Index)
            .Take(problem.Budget.LocalStarts).ToList();
        int budget = problem.Budget.LocalEvaluations;
        for (int s = 0; s < starts.Count && budget > 0; s++)
        {
            int share = budget / starts.Count + (s < budget % starts.Count ? 1 : 0);
            Local(starts[s].Evaluation.Values, share, s, ct);
        }

        var best = records.OrderBy(r => r.Evaluation.Objective).ThenBy(r => r.Index).First();
        return new CalibrationResult(records, best, ran, log.Reused);
    }

    private void Local(double[] start, int budget, int startIndex, CancellationToken ct)
    {
        var parameters = evaluator.Problem.Parameters;
        int n = parameters.Count;
        var z0 = Vector<double>.Build.Dense(n, d => Logit(parameters[d].ToUnit(start[d])));
        // About a tenth of the range at the middle of the bounds: the scale of the global design's spacing.
        var step = Vector<double>.Build.Dense(n, 0.5);
        int calls = 0;
        var objective = ObjectiveFunction.Value(z =>
        {
            if (calls++ >= budget) throw new BudgetSpentException();
            var x = new double[n];
            for (int d = 0; d < n; d++) x[d] = parameters[d].AtUnit(Sigmoid(z[d]));
            var e = Get(x, threads, CalibrationStage.Local, startIndex, notify: false, ct);
            var r = Record(e, CalibrationStage.Local, startIndex);
            if (r is not null) Evaluated?.Invoke(r, ranNow);
            return e.Objective;
        });
        try
        {
            NelderMeadSimplex.Minimum(objective, z0, step, evaluator.Problem.Budget.Tolerance, int.MaxValue);
        }
        catch (BudgetSpentException)
        {
            // The budget, not convergence, ended this start: the best point so far stands.
        }
        catch (MaximumIterationsException)
        {
        }
    }

    [ThreadStatic] private static bool ranNow;

    /// <summary>The evaluation of a point: from the log, or run now and logged.</summary>
    private Evaluation Get(double[] x, int evalThreads, CalibrationStage stage, int start, bool notify, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        ranNow = false;
        if (!log.TryGet(x, out var e))
        {
            e = evaluator.Evaluate(x, evalThreads, ct);
            log.Add(e);
            Interlocked.Increment(ref ran);
            ranNow = true;
        }
        if (notify) Evaluated?.Invoke(new EvaluationRecord(-1, stage, start, e), ranNow);
        return e;
    }

    private EvaluationRecord? Record(Evaluation e, CalibrationStage stage, int start)
    {
        lock (gate)
        {
            if (!recorded.Add(EvaluationLog.Key(e.Values))) return null;
            var r = new EvaluationRecord(records.Count, stage, start, e);
            records.Add(r);
            return r;
        }
    }

    private static double Logit(double u)
    {
        u = Math.Clamp(u, 1e-6, 1 - 1e-6);
        return Math.Log(u / (1 - u));
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private sealed class BudgetSpentException : Exception;
}
