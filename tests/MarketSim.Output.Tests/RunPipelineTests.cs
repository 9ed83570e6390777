using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Output;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>The one run pipeline: a run stopped between steps and resumed through it writes what an unbroken run writes.</summary>
public sealed class RunPipelineTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static MarketModel Model()
    {
        string parent = MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml");
        var loaded = ScenarioLoader.LoadText($"extends: {parent}\nname: pipe\npopulation: {{agents: 20000}}\ncalendar: {{steps: 60}}\n",
            "pipe.yaml", Path.GetDirectoryName(parent));
        Assert.True(loaded.Ok, string.Join("; ", loaded.Problems));
        return new MarketModel(loaded.Scenario!);
    }

    private static RunManifest Manifest(MarketModel model) =>
        new("pipe", "", new string('0', 64), model.Scenario.Seed, model.Scenario.Population.Agents, model.PeoplePerAgent, 0, "test");

    [Fact]
    public async Task StoppedBetweenStepsAndResumed_WritesTheBytesOfAnUnbrokenRun()
    {
        var model = Model();
        string whole = _temp.Run("whole"), resumed = _temp.Run("resumed");
        var observed = new List<int>();
        await using (var run = RunPipeline.Start(model, Manifest(model), threads: 2))
        {
            run.Observe(m => observed.Add(m.Step));
            await run.OpenOutputsAsync(whole, OutputSelection.All);
            await run.StepToEndAsync(CancellationToken.None);
            await run.CompleteAsync(TestRuns.Timings());
        }
        Assert.Equal(Enumerable.Range(0, model.Steps), observed);

        // First part: stopped by cancellation after 23 steps, as Ctrl+C would; state and steps kept as a checkpoint keeps them.
        var steps = new List<StepMetrics>();
        using var state = new MemoryStream();
        using (var cts = new CancellationTokenSource())
        {
            await using var first = RunPipeline.Start(model, Manifest(model), threads: 1);
            first.Observe(m =>
            {
                steps.Add(m);
                if (steps.Count == 23) cts.Cancel();
            });
            await first.OpenOutputsAsync(resumed, OutputSelection.All);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.StepToEndAsync(cts.Token));
            first.Simulation.SaveState(state);
        }
        Assert.Empty(Directory.GetFiles(resumed, "*.parquet"));

        state.Position = 0;
        await using (var second = RunPipeline.Start(model, Manifest(model), threads: 3, state))
        {
            Assert.Equal(23, second.Simulation.CurrentStep);
            await second.OpenOutputsAsync(resumed, OutputSelection.All);
            await second.ReplayAsync(steps);
            await second.StepToEndAsync(CancellationToken.None);
            await second.CompleteAsync(TestRuns.Timings());
        }

        foreach (var table in OutputTables.All.Where(t => t != OutputTables.Agents))
            Assert.Equal(File.ReadAllBytes(Path.Combine(whole, table.FileName)), File.ReadAllBytes(Path.Combine(resumed, table.FileName)));
    }

    [Fact]
    public async Task StepThrough_StopsAfterTheStep_TracksTheTargetsGiven_AndRefusesOpenOutputs()
    {
        var model = Model();
        var target = new MarketSim.Scenarios.CalibrationTargetSpec
        {
            Date = model.StepDate(10),
            Platform = "jd",
            Metric = "annual_active",
            Value = 1,
            Weight = 1,
            InSample = true,
        };
        var observed = new List<int>();
        await using (var run = RunPipeline.Start(model, Manifest(model), threads: 1, calibrationTargets: [target]))
        {
            run.Observe(m => observed.Add(m.Step));
            await run.StepThroughAsync(17, CancellationToken.None);
            Assert.Equal(18, run.Simulation.CurrentStep);
            Assert.Equal(0, Assert.Single(run.Calibration.Rows).Target);
        }
        Assert.Equal(Enumerable.Range(0, 18), observed);

        await using var written = RunPipeline.Start(model, Manifest(model), threads: 1);
        await written.OpenOutputsAsync(_temp.Run("partial"), OutputSelection.All);
        await Assert.ThrowsAsync<InvalidOperationException>(() => written.StepThroughAsync(17, CancellationToken.None));
        Assert.Equal(0, written.Simulation.CurrentStep);
    }
}
