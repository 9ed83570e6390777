using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;
using MarketSim.Scenarios;

namespace MarketSim.Compare;

/// <summary>One row of attribution.parquet: a clause's Shapley value (or a total) for one metric and platform.</summary>
/// <param name="Metric">annual_active, primary_share or gmv.</param>
/// <param name="Platform">Platform id.</param>
/// <param name="Clause">The clause's scenario path; or <c>total</c> (every clause on − every clause off), <c>not_attributed</c>
/// (every clause off − baseline: what else the scenario changes), <c>scenario_minus_baseline</c>.</param>
/// <param name="Mean">Mean over replications.</param>
/// <param name="Sd">Sample standard deviation over replications (null with one).</param>
/// <param name="Low">Lower end of the 95 % Student-t interval of the mean (null with one replication).</param>
/// <param name="High">Upper end.</param>
/// <param name="ParameterShare">Under a posterior: the share of the interval's variance from parameter uncertainty; null otherwise.</param>
public sealed record AttributionRow(string Metric, string Platform, string Clause, double Mean, double? Sd, double? Low, double? High,
    double? ParameterShare = null);

/// <summary>
/// Clause-by-clause attribution of a comparison: the scenario run with every subset of the clauses it adds to its
/// baseline (<see cref="ScenarioClauses.AddedClauses"/>) switched on, under the replications' common random numbers, and
/// each clause's exact Shapley value: its marginal contribution averaged over every order in which the clauses could be
/// added. Shapley values add up to the effect of all clauses together exactly (efficiency) and a clause that changes
/// nothing gets exactly 0, whatever the interactions between the others.
/// </summary>
public sealed class Attribution
{
    /// <summary>Most clauses attributed: 2^n runs per replication.</summary>
    public const int MaxClauses = 8;

    private Attribution(IReadOnlyList<string> clauses, ModelDimensions dims, double[][][][] values, double[][][] baseline, int draws)
    {
        Draws = draws;
        Clauses = clauses;
        Dimensions = dims;
        Values = values;
        Baseline = baseline;
    }

    /// <summary>Clauses attributed, in scenario order (bit i of a subset's mask = clause i on).</summary>
    public IReadOnlyList<string> Clauses { get; }

    /// <summary>Tiers and platforms.</summary>
    public ModelDimensions Dimensions { get; }

    /// <summary>v[metric][platform][replication][mask]: the metric with the clauses of mask switched on.</summary>
    public double[][][][] Values { get; }

    /// <summary>The baseline's value [metric][platform][replication].</summary>
    public double[][][] Baseline { get; }

    /// <summary>Runs per clause combination (replications × draws under a posterior).</summary>
    public int Replications => Baseline[0][0].Length;

    /// <summary>Parameter sets drawn from a posterior (K ≥ 1; runs in draw order), 0 without one.</summary>
    public int Draws { get; }

    /// <summary>The clauses to attribute, or why not (null and a message for people).</summary>
    public static IReadOnlyList<string>? ClausesOf(ComparePlan plan, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var clauses = ScenarioClauses.AddedClauses(plan.Scenario, plan.Baseline);
        problem = clauses.Count == 0
            ? "--attribute: the scenario adds no alliance clause or intervention to its baseline, so there is nothing to attribute"
            : clauses.Count > MaxClauses
                ? $"--attribute: the scenario adds {clauses.Count} clauses ({string.Join(", ", clauses)}); attribution runs every combination " +
                  $"(2^{clauses.Count} = {1L << clauses.Count} runs per replication) and is limited to {MaxClauses}"
                : null;
        return problem is null ? clauses : null;
    }

    /// <summary>Runs every proper subset of clauses per replication (the full set is the comparison's scenario arm) and collects the metrics.</summary>
    public static Attribution Run(ComparePlan plan, CompareRuns runs, IReadOnlyList<string> clauses, int threads, Action? runDone = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(clauses);
        int n = clauses.Count, masks = 1 << n, full = masks - 1, R = plan.Replications;
        int metrics = CompareMetric.Attributed.Count, platforms = runs.Dimensions.Platforms;
        var values = Enumerable.Range(0, metrics).Select(_ => Enumerable.Range(0, platforms).Select(_ =>
            Enumerable.Range(0, R).Select(_ => new double[masks]).ToArray()).ToArray()).ToArray();
        var baseline = Enumerable.Range(0, metrics).Select(_ => Enumerable.Range(0, platforms).Select(_ => new double[R]).ToArray()).ToArray();
        void Store(int r, int mask, ArmRun arm)
        {
            var m = Measure(arm, runs.Dimensions);
            for (int k = 0; k < metrics; k++)
                for (int p = 0; p < platforms; p++)
                    if (mask < 0) baseline[k][p][r] = m[k][p];
                    else values[k][p][r][mask] = m[k][p];
        }
        for (int r = 0; r < R; r++)
        {
            Store(r, full, runs.Get(r, Arm.Scenario));
            Store(r, -1, runs.Get(r, Arm.Baseline));
        }
        var jobs = Enumerable.Range(0, R).SelectMany(r => Enumerable.Range(0, full).Select(mask => (r, mask))).ToList();
        var (concurrent, each) = CompareRunner.Concurrency(plan, threads);
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrent, CancellationToken = ct };
        var gate = new object();
        Parallel.ForEach(jobs, options, job =>
        {
            var scenario = plan.LoadFresh(Arm.Scenario, job.r);
            for (int i = 0; i < n; i++)
                if ((job.mask & (1 << i)) == 0) ScenarioClauses.SwitchOff(scenario, clauses[i]);
            var model = new MarketModel(scenario);
            var sim = new Simulation(model, each);
            var steps = new StepMetrics[model.Steps];
            RunPipeline.StepToEnd(sim, m => steps[m.Step] = m, ct);
            var arm = new ArmRun(model.PeoplePerAgent, steps, []); // attribution reads differences only, not the calibration
            lock (gate) Store(job.r, job.mask, arm);
            runDone?.Invoke();
        });
        return new Attribution(clauses, runs.Dimensions, values, baseline, runs.Draws);
    }

    /// <summary>
    /// The attributed metrics of one run [metric][platform], all tiers, with the comparison's arithmetic: a level at the
    /// final step, a flow (<see cref="MetricColumn.IsFlow"/>) summed over every step.
    /// </summary>
    internal static double[][] Measure(ArmRun run, ModelDimensions dims)
    {
        int P = dims.Platforms, T = dims.Tiers;
        var last = run.Steps[^1];
        var result = new double[CompareMetric.Attributed.Count][];
        for (int k = 0; k < result.Length; k++)
        {
            var metric = CompareMetric.Attributed[k];
            var column = metric.Column!;
            result[k] = new double[P];
            for (int p = 0; p < P; p++)
            {
                long tally = 0, whole = 0;
                foreach (var step in column.IsFlow ? run.Steps : new[] { last })
                    for (int t = 0; t < T; t++)
                    {
                        tally += column.Agents(step, t, p);
                        if (column.Of is { } of) whole += of.Agents(step, t, p);
                    }
                // Money keeps attribution's own association, (fen × people per agent) ÷ 100 (see MetricScale.YuanScaledFirst).
                result[k][p] = metric.IsYuan ? MetricScale.YuanScaledFirst(tally, run.PeoplePerAgent) : metric.Level(tally, whole, run.PeoplePerAgent);
            }
        }
        return result;
    }

    /// <summary>
    /// Exact Shapley values of a game with <paramref name="n"/> players given by its value on every subset
    /// (<paramref name="v"/>[mask], bit i = player i): φ_i = Σ over S without i of |S|!(n−|S|−1)!/n! · (v(S ∪ {i}) − v(S)).
    /// </summary>
    public static double[] Shapley(IReadOnlyList<double> v, int n)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (v.Count != 1 << n) throw new ArgumentException($"expected 2^{n} values, found {v.Count}", nameof(v));
        var weight = new double[n];
        for (int s = 0; s < n; s++) weight[s] = Factorial(s) * Factorial(n - s - 1) / Factorial(n);
        var phi = new double[n];
        for (int i = 0; i < n; i++)
        {
            int bit = 1 << i;
            double sum = 0;
            for (int mask = 0; mask < v.Count; mask++)
                if ((mask & bit) == 0) sum += weight[System.Numerics.BitOperations.PopCount((uint)mask)] * (v[mask | bit] - v[mask]);
            phi[i] = sum;
        }
        return phi;
    }

    private static double Factorial(int k)
    {
        double f = 1;
        for (int i = 2; i <= k; i++) f *= i;
        return f;
    }

    /// <summary>
    /// Every row: per metric and platform, each clause's Shapley value, then <c>total</c>, <c>not_attributed</c> and
    /// <c>scenario_minus_baseline</c>; means over replications with 95 % Student-t intervals.
    /// </summary>
    public IReadOnlyList<AttributionRow> Rows()
    {
        var rows = new List<AttributionRow>();
        int n = Clauses.Count, full = (1 << n) - 1;
        for (int k = 0; k < CompareMetric.Attributed.Count; k++)
            for (int p = 0; p < Dimensions.Platforms; p++)
            {
                var v = Values[k][p];
                var b = Baseline[k][p];
                var phi = v.Select(vr => Shapley(vr, n)).ToArray();
                string id = CompareMetric.Attributed[k].Id, platform = Dimensions.PlatformIds[p];
                for (int i = 0; i < n; i++) rows.Add(Row(id, platform, Clauses[i], phi.Select(f => f[i]).ToArray()));
                rows.Add(Row(id, platform, "total", v.Select(vr => vr[full] - vr[0]).ToArray()));
                rows.Add(Row(id, platform, "not_attributed", v.Select((vr, r) => vr[0] - b[r]).ToArray()));
                rows.Add(Row(id, platform, "scenario_minus_baseline", v.Select((vr, r) => vr[full] - b[r]).ToArray()));
            }
        return rows;
    }

    private AttributionRow Row(string metric, string platform, string clause, double[] perReplication)
    {
        var st = DifferenceStatistics.Of(perReplication, ComparisonTable.TQuantile(perReplication.Length), Draws);
        return new AttributionRow(metric, platform, clause, st.Mean, st.Sd, st.Low, st.High, st.ParameterShare);
    }
}
