using MarketSim.Calibration;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

public sealed class CalibrationSearchTests
{
    [Fact]
    public void Objective_SamePointTwice_AndAtOneOrTwoThreads_IsBitIdentical()
    {
        var tiny = new TinyCalibration(MarketSimProcess.NewTempFolder("marketsim-calibration"), replications: 2);
        var evaluator = new CalibrationEvaluator(tiny.Load());
        double[] x = [0.9, 0.05];
        var once = evaluator.Evaluate(x, threads: 1);
        var again = evaluator.Evaluate(x, threads: 1);
        var parallel = evaluator.Evaluate(x, threads: 2);
        Assert.Equal(BitConverter.DoubleToInt64Bits(once.Objective), BitConverter.DoubleToInt64Bits(again.Objective));
        Assert.Equal(BitConverter.DoubleToInt64Bits(once.Objective), BitConverter.DoubleToInt64Bits(parallel.Objective));
        Assert.Equal(once.Simulated, parallel.Simulated);
        // A different point moves the objective: the function is not constant in the parameters.
        Assert.NotEqual(once.Objective, evaluator.Evaluate([0.1, 0.02], threads: 2).Objective);
    }

    [Theory]
    [InlineData(null, "2019-09-30", true)]          // a figure at the holdout date is fitted
    [InlineData(null, "2019-10-01", false)]         // one a day later is not
    [InlineData("2019-01-01", "2019-12-31", true)]  // a year that starts in sample (2019 GMV) is fitted
    [InlineData("2019-10-01", "2019-12-31", false)] // a quarter that starts after it is held out
    public void IsFitted_PointByDate_PeriodByItsStart(string? start, string end, bool fitted)
    {
        var target = new MarketSim.Scenarios.CalibrationTargetSpec
        {
            PeriodStart = start is null ? null : DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture),
            Date = DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture),
            Platform = "jd",
            Metric = "gmv",
            Value = 1,
            Weight = 1,
            InSample = true,
        };
        Assert.Equal(fitted, MarketSim.Calibration.CalibrationProblem.IsFitted(target, new DateOnly(2019, 9, 30)));
        Assert.True(MarketSim.Calibration.CalibrationProblem.IsFitted(target, null));
        target.Weight = 0;
        Assert.False(MarketSim.Calibration.CalibrationProblem.IsFitted(target, null));
    }

    [Fact]
    public void Objective_IgnoresHeldOutTargets_AndIsTheWeightedSumOfSquaredRelativeErrors()
    {
        var tiny = new TinyCalibration(MarketSimProcess.NewTempFolder("marketsim-calibration"));
        var problem = tiny.Load();
        Assert.Equal([true, true, true, true, false], problem.Fitted);
        var evaluator = new CalibrationEvaluator(problem);
        // Reported 300, 320, 330, 530, 560: simulated +10 %, exact, exact, −20 %, and the held-out one far off.
        double[] simulated = [330, 320, 330, 424, 5600];
        Assert.Equal(0.1 * 0.1 + 0.2 * 0.2, evaluator.Objective(simulated), 12);
    }

    [Fact]
    public async Task Calibrate_TargetsTheModelGenerated_RecoversTheParametersFromElsewhereInTheBounds()
    {
        // The default model's own parameters of growth: Pinduoduo's imitation and JD's external adoption rate.
        var tiny = new TinyCalibration(MarketSimProcess.NewTempFolder("marketsim-calibration"), globalPoints: 6, localEvaluations: 30, adoption: true);
        tiny.GenerateTargets();
        var problem = tiny.Load();
        // The design's points are elsewhere: none is within 10 % of the range of the truth in both coordinates.
        var design = Calibrator.GlobalDesign(problem);
        Assert.DoesNotContain(design, u => Math.Abs(problem.Parameters[0].ToUnit(tiny.Truth[0]) - u[0]) < 0.1
                                           && Math.Abs(problem.Parameters[1].ToUnit(tiny.Truth[1]) - u[1]) < 0.1);
        var result = await tiny.RunAsync(Path.Combine(tiny.Folder, "out"));
        var best = result.Best.Evaluation.Values;
        // Within 5 % of each range (a few agents' worth of annual-active users separate neighbouring points).
        Assert.InRange(problem.Parameters[0].ToUnit(best[0]) - problem.Parameters[0].ToUnit(tiny.Truth[0]), -0.05, 0.05);
        Assert.InRange(problem.Parameters[1].ToUnit(best[1]) - problem.Parameters[1].ToUnit(tiny.Truth[1]), -0.05, 0.05);
        Assert.True(result.Best.Evaluation.Objective < 1e-4, $"objective {result.Best.Evaluation.Objective}");
    }

    [Fact]
    public async Task Calibrate_KilledAfterSomeEvaluations_ResumesToTheSameOutputBytes()
    {
        string root = MarketSimProcess.NewTempFolder("marketsim-calibration");
        var tiny = new TinyCalibration(root, globalPoints: 4, localEvaluations: 8);
        string whole = Path.Combine(root, "whole"), killed = Path.Combine(root, "killed");
        var uninterrupted = await tiny.RunAsync(whole);

        using var cts = new CancellationTokenSource();
        int ran = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tiny.RunAsync(killed, onEvaluated: (_, fresh) =>
        {
            if (fresh && Interlocked.Increment(ref ran) == 5) cts.Cancel();
        }, ct: cts.Token));
        Assert.False(File.Exists(Path.Combine(killed, "calibrated.yaml")));

        var resumed = await tiny.RunAsync(killed);
        Assert.True(resumed.Reused >= 4, $"reused {resumed.Reused}");
        Assert.Equal(uninterrupted.Records.Count, resumed.Records.Count);
        Assert.True(resumed.Ran < uninterrupted.Ran, $"ran {resumed.Ran} of {uninterrupted.Ran}");
        foreach (var file in new[] { "calibrated.yaml", "evaluations.parquet", "fit.parquet" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(whole, file)), File.ReadAllBytes(Path.Combine(killed, file)));
    }

    [Fact]
    public async Task CalibratedYaml_ExtendsTheScenario_AndSetsExactlyTheFittedValues()
    {
        string root = MarketSimProcess.NewTempFolder("marketsim-calibration");
        var tiny = new TinyCalibration(root, globalPoints: 3, localEvaluations: 0);
        string outFolder = Path.Combine(root, "out");
        var result = await tiny.RunAsync(outFolder);
        var loaded = ScenarioLoader.Load(Path.Combine(outFolder, "calibrated.yaml"));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        Assert.Equal(result.Best.Evaluation.Values[0], loaded.Scenario!.Platforms["pdd"].Brand);
        Assert.Equal(result.Best.Evaluation.Values[1], loaded.Scenario.Behaviour.Attention);
        var original = ScenarioLoader.Load(Path.Combine(root, "tiny.yaml")).Scenario!;
        Assert.Equal(original.Platforms["jd"].Brand, loaded.Scenario.Platforms["jd"].Brand);
        Assert.Equal(Path.Combine(root, "tiny.yaml"), loaded.ExtendsPath);
    }
}
