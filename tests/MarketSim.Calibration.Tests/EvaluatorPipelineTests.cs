using MarketSim.Calibration;
using MarketSim.Engine;

namespace MarketSim.Tests;

/// <summary>The evaluator runs through the shared pipeline, stopping early: what it reports is what a whole run observes.</summary>
public sealed class EvaluatorPipelineTests
{
    [Fact]
    public void Evaluate_StoppingAfterTheLastTarget_GivesTheBitsOfAWholeRunTrackedForTheSameTargets()
    {
        string folder = MarketSimProcess.NewTempFolder("marketsim-calibration");
        try
        {
            var tiny = new TinyCalibration(folder, replications: 2);
            var problem = tiny.Load();
            var evaluator = new CalibrationEvaluator(problem);
            double[] x = [0.9, 0.05];
            var evaluation = evaluator.Evaluate(x, threads: 2);

            // Reference: each replication's model stepped by hand to the calendar's end, tracked for the fitted targets.
            var mean = new double[problem.Targets.Count];
            for (int r = 0; r < problem.Seeds.Count; r++)
            {
                var model = evaluator.Model(x, r);
                var sim = new Simulation(model, threads: 1);
                var tracker = new CalibrationTracker(model, problem.Targets);
                while (!sim.Done) tracker.Observe(sim.Step());
                Assert.Equal(problem.Targets.Count, tracker.Rows.Count);
                foreach (var row in tracker.Rows) mean[row.Target] += row.Simulated;
            }
            for (int t = 0; t < mean.Length; t++) mean[t] /= problem.Seeds.Count;
            Assert.Equal(mean.Select(BitConverter.DoubleToInt64Bits), evaluation.Simulated.Select(BitConverter.DoubleToInt64Bits));

            // The trajectory ends with the last target's step, not the calendar's.
            var model0 = evaluator.Model(x, 0);
            int last = problem.Targets.Max(t => model0.StepContaining(t.Date));
            Assert.True(last < model0.Steps - 1, "the tiny calibration's last target must fall before the calendar's end");
            Assert.Equal(Enumerable.Range(0, last + 1), evaluator.Trajectory(x, 0, threads: 1).Select(m => m.Step));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Evaluate_AfterOtherPointsInTheSameEvaluator_GivesTheBitsOfAFreshEvaluator()
    {
        // The evaluator hands a finished replication's agent arrays and tables to the next one: a point evaluated after
        // others (whose runs leave those buffers full) must give what a fresh evaluator, which allocates, gives.
        string folder = MarketSimProcess.NewTempFolder("marketsim-calibration");
        try
        {
            var problem = new TinyCalibration(folder, replications: 2, adoption: true).Load();
            double[] x = [0.1, 0.003];
            var fresh = new CalibrationEvaluator(problem).Evaluate(x, threads: 2);
            var evaluator = new CalibrationEvaluator(problem);
            evaluator.Evaluate([0.3, 0.01], threads: 2);
            evaluator.Evaluate([0.02, 0.0005], threads: 1);
            var reused = evaluator.Evaluate(x, threads: 2);
            Assert.Equal(fresh.Simulated.Select(BitConverter.DoubleToInt64Bits), reused.Simulated.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(BitConverter.DoubleToInt64Bits(fresh.Objective), BitConverter.DoubleToInt64Bits(reused.Objective));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
