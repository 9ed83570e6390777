using System.Globalization;
using MarketSim.Calibration;
using Parquet;

namespace MarketSim.Tests;

/// <summary>
/// Issue 32, item 4: the calibration objective is what docs/calibration.md says. Recomputed from the written fit.parquet
/// and evaluations.parquet with the targets' (unequal) weights; each replication of an evaluation is its own seed's run,
/// recomputed here from the replication's trajectory, distinct from the others and the same at any thread count; and a
/// recovery where the weights decide where the optimum lies.
/// </summary>
public sealed class ObjectiveReferenceTests
{
    /// <summary>Every column of a written Parquet file as numbers (booleans as 0/1, others skipped): DuckDB when it is there.</summary>
    private static async Task<Dictionary<string, double[]>> NumbersAsync(string path)
    {
        var result = new Dictionary<string, double[]>();
        await using var reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(1, reader.RowGroupCount);
        using var rg = reader.OpenRowGroupReader(0);
        int n = (int)rg.RowCount;
        foreach (var field in reader.Schema.DataFields)
        {
            if (field.ClrType == typeof(double))
            {
                var v = new double[n];
                await rg.ReadAsync<double>(field, v.AsMemory());
                result[field.Name] = v;
            }
            else if (field.ClrType == typeof(bool))
            {
                var v = new bool[n];
                await rg.ReadAsync<bool>(field, v.AsMemory());
                result[field.Name] = v.Select(b => b ? 1.0 : 0.0).ToArray();
            }
        }
        return result;
    }

    private static void WriteWeightedTargets(TinyCalibration tiny, double[] values, double[] weights)
    {
        string V(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        File.WriteAllText(tiny.TargetsPath, string.Join('\n',
            "period_end,platform,metric,value,unit,weight,source",
            $"2019-03-31,jd,annual_active,{V(values[0])},millions,{V(weights[0])},model",
            $"2019-06-30,jd,annual_active,{V(values[1])},millions,{V(weights[1])},model",
            $"2019-09-30,jd,annual_active,{V(values[2])},millions,{V(weights[2])},model",
            $"2019-09-30,pdd,annual_active,{V(values[3])},millions,{V(weights[3])},model",
            $"2019-12-31,pdd,annual_active,{V(values[4])},millions,{V(weights[4])},model",
            ""));
    }

    [Fact]
    public async Task Objective_AsWrittenInFitAndEvaluations_IsTheWeightedSumOfSquaredRelativeErrorsOfTheFittedTargets()
    {
        var tiny = new TinyCalibration(MarketSimProcess.NewTempFolder("marketsim-calibration"), agents: 2000, replications: 2, globalPoints: 4,
            localEvaluations: 4);
        double[] weights = [3, 0.5, 1, 0.25, 2]; // the last is held out (after 2019-09-30): reported, not fitted
        WriteWeightedTargets(tiny, [300, 320, 330, 530, 560], weights);
        var problem = tiny.Load();
        Assert.Equal([true, true, true, true, false], problem.Fitted);
        Assert.Equal(weights, problem.Targets.Select(t => t.Weight));
        string output = Path.Combine(tiny.Folder, "out");
        var result = await tiny.RunAsync(output);

        // fit.parquet: the best point's rows; its objective is Σ weight × relative error² over the in-sample rows.
        var fit = await NumbersAsync(Path.Combine(output, "fit.parquet"));
        double fromFit = 0;
        for (int i = 0; i < fit["reported"].Length; i++)
        {
            double error = (fit["simulated"][i] - fit["reported"][i]) / fit["reported"][i];
            Assert.Equal(error, fit["relative_error"][i], 12);
            Assert.Equal(weights[i], fit["weight"][i]);
            if (fit["in_sample"][i] == 1) fromFit += fit["weight"][i] * error * error;
        }
        Assert.Equal([1.0, 1, 1, 1, 0], fit["in_sample"]);
        Assert.Equal(fromFit, result.Best.Evaluation.Objective, 1e-12 * fromFit);

        // evaluations.parquet: every evaluation's objective from its own target columns and the weights.
        var evaluations = await NumbersAsync(Path.Combine(output, "evaluations.parquet"));
        var columns = problem.Targets.Select((t, i) => CalibrationOutputs.TargetColumn(t, i)).ToArray();
        int rows = evaluations["objective"].Length;
        Assert.Equal(result.Records.Count, rows);
        for (int e = 0; e < rows; e++)
        {
            double sum = 0;
            for (int i = 0; i < 4; i++)
            {
                double error = (evaluations[columns[i]][e] - problem.Targets[i].Value) / problem.Targets[i].Value;
                sum += weights[i] * error * error;
            }
            Assert.True(Math.Abs(sum - evaluations["objective"][e]) <= 1e-12 * Math.Max(1, sum), $"evaluation {e}: {sum:R} recomputed, {evaluations["objective"][e]:R} written");
            // Not vacuous: the unweighted sum is a different number.
            double unweighted = Enumerable.Range(0, 4).Sum(i => Math.Pow((evaluations[columns[i]][e] - problem.Targets[i].Value) / problem.Targets[i].Value, 2));
            Assert.NotEqual(unweighted, evaluations["objective"][e], 6);
        }
        Assert.Equal(evaluations["objective"].Min(), evaluations["objective"][Array.IndexOf(evaluations["best"], 1.0)]);
    }

    [Fact]
    public void Evaluate_EachReplicationIsItsOwnSeedsRun_TheMeanIsOverThem_AndNoThreadCountChangesIt()
    {
        var tiny = new TinyCalibration(MarketSimProcess.NewTempFolder("marketsim-calibration"), agents: 2000, replications: 3);
        var problem = tiny.Load();
        Assert.Equal(3, problem.Seeds.Distinct().Count());
        var evaluator = new CalibrationEvaluator(problem);
        double[] x = [0.7, 0.05];
        // Each replication's simulated values by the annual_active definition (users × accounts per user, millions, at
        // the step holding the date), from the replication's own trajectory.
        var perReplication = new double[3][];
        for (int r = 0; r < 3; r++)
        {
            var model = evaluator.Model(x, r);
            Assert.Equal(problem.Seeds[r], model.Scenario.Seed);
            var steps = evaluator.Trajectory(x, r, threads: 1);
            perReplication[r] = problem.Targets.Select(t =>
            {
                int p = model.Dimensions.PlatformIds.ToList().IndexOf(t.Platform);
                var m = steps[model.StepContaining(t.Date)];
                long users = Enumerable.Range(0, model.T).Sum(tier => m.AnnualActive[tier * model.P + p]);
                return users * model.PeoplePerAgent * model.Scenario.Platforms[t.Platform].AccountsPerUser / 1e6;
            }).ToArray();
        }
        // Distinct seeds give distinct results: no two replications agree on every target.
        for (int a = 0; a < 3; a++)
            for (int b = a + 1; b < 3; b++) Assert.NotEqual(perReplication[a], perReplication[b]);
        var one = evaluator.Evaluate(x, threads: 1);
        var two = evaluator.Evaluate(x, threads: 2);
        var three = evaluator.Evaluate(x, threads: 3);
        for (int t = 0; t < problem.Targets.Count; t++)
        {
            double mean = (perReplication[0][t] + perReplication[1][t] + perReplication[2][t]) / 3;
            Assert.Equal(mean, one.Simulated[t], 1e-9 * mean);
        }
        Assert.Equal(one.Simulated, two.Simulated);
        Assert.Equal(one.Simulated, three.Simulated);
        Assert.Equal(BitConverter.DoubleToInt64Bits(one.Objective), BitConverter.DoubleToInt64Bits(three.Objective));
    }

    [Fact]
    public async Task Calibrate_TwoWeightedGmvFigures_FindsTheWeightedCompromiseNotTheUnweightedOne()
    {
        // JD's GMV in the first quarter of 2019 reported as G1 (weight 4) and in February 2019 as 2·G2 (weight 1), G1 and G2 the
        // simulated values at basket 1. Each GMV is basket × its value at 1 (the basket scales every order's value, not the
        // choices), so the relative objective
        // 4(b − 1)² + (b/2 − 1)² is least at b* = (4 + ½)/(4 + ¼) = 1.0588; ignoring the weights it would be 1.2.
        string folder = MarketSimProcess.NewTempFolder("marketsim-calibration");
        string baseline = Path.Combine(MarketSimProcess.RepositoryRoot, "scenarios", "baseline.yaml").Replace('\\', '/');
        File.WriteAllText(Path.Combine(folder, "gmv.yaml"),
            $"extends: \"{baseline}\"\nname: gmv\npopulation: {{cohorts_per_tier: 16}}\ncalendar: {{burn_in_steps: 10}}\ncalibration: {{targets: targets.csv}}\n");
        void Targets(double a, double b) => File.WriteAllText(Path.Combine(folder, "targets.csv"), string.Join('\n',
            "period_start,period_end,platform,metric,value,unit,weight,source",
            $"2019-01-01,2019-03-31,jd,gmv,{a.ToString("R", CultureInfo.InvariantCulture)},billion_yuan,4,model",
            $"2019-02-01,2019-02-28,jd,gmv,{b.ToString("R", CultureInfo.InvariantCulture)},billion_yuan,1,model", ""));
        string calibration = Path.Combine(folder, "calibration.yaml");
        File.WriteAllText(calibration, string.Join('\n', "scenario: gmv.yaml", "agents: 2000", "replications: 1",
            "parameters:", "  platforms.jd.basket: {min: 0.5, max: 4, scale: log}",
            "budget: {global_points: 6, local_evaluations: 30, local_starts: 1, design_seed: 2, tolerance: 1e-10}", ""));
        Targets(1, 1);
        CalibrationProblem Load()
        {
            var loaded = CalibrationFile.Load(calibration);
            Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
            return loaded.Problem!;
        }
        var g = new CalibrationEvaluator(Load()).Evaluate([1.0], threads: 2).Simulated;
        Assert.True(g[0] > 0 && g[1] > 0);
        Targets(g[0], 2 * g[1]);
        var problem = Load();
        Assert.Equal([4.0, 1.0], problem.Targets.Select(t => t.Weight));
        var evaluator = new CalibrationEvaluator(problem);
        // The premise: GMV is linear in the basket (to the rounding of an order's value to whole fen).
        var atOneAndAHalf = evaluator.Evaluate([1.5], threads: 2).Simulated;
        Assert.Equal(1.5 * g[0], atOneAndAHalf[0], 1e-3 * g[0]);
        Assert.Equal(1.5 * g[1], atOneAndAHalf[1], 1e-3 * g[1]);
        string output = Path.Combine(folder, "out");
        Directory.CreateDirectory(output);
        using var log = EvaluationLog.Open(output, problem, evaluator);
        var result = new Calibrator(evaluator, log, 2).Run(CancellationToken.None);
        double fitted = result.Best.Evaluation.Values[0];
        Assert.InRange(fitted, 1.0588 - 0.01, 1.0588 + 0.01);
        // The objective at the fit is the weighted one: 4 (b − 1)² + (b/2 − 1)² at b* = 0.0588² · 4 + 0.4706² = 0.2353.
        Assert.Equal(4.0 / 17, result.Best.Evaluation.Objective, 2e-3);
    }
}
