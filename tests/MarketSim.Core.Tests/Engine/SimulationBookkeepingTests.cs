using System.Diagnostics;
using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Tests.Engine;

/// <summary>
/// What the engine reports about itself besides the metrics: the step counter and its end, the agent-steps
/// <c>marketsim bench</c> divides by, the thread count, the time split, and the burn-in's cancellation. Stryker found
/// these unchecked (mutants of <c>Simulation.cs</c> that changed them survived).
/// </summary>
public class SimulationBookkeepingTests
{
    private static MarketModel Model(int steps = 4, int burnIn = 0)
    {
        var s = TestScenarios.Flat(agents: 4_000, steps: steps);
        s.Calendar.BurnInSteps = burnIn;
        return new MarketModel(s);
    }

    [Fact]
    public void Step_PastTheLastStep_IsRefused_AndTheCounterStopsThere()
    {
        var sim = new Simulation(Model(steps: 2), threads: 1);
        Assert.Equal((0, false), (sim.CurrentStep, sim.Done));
        Assert.Equal(0, sim.Step().Step);
        Assert.Equal((1, false), (sim.CurrentStep, sim.Done));
        Assert.Equal(1, sim.Step().Step);
        Assert.Equal((2, true), (sim.CurrentStep, sim.Done));
        var e = Assert.Throws<InvalidOperationException>(() => sim.Step());
        Assert.Equal("the run has no steps left", e.Message);
        Assert.Equal(2, sim.CurrentStep);
    }

    [Fact]
    public void AgentSteps_AreTheConsumersOfEveryStepRun_BurnInStepsIncluded()
    {
        // No arrivals during the burn-in: each of its steps moves the initial agents only.
        var model = Model(steps: 5, burnIn: 3);
        var sim = new Simulation(model, threads: 1);
        long initial = model.InitialAgents.Sum();
        Assert.True(initial > 0);
        Assert.Equal(3 * initial, sim.AgentSteps);
        long expected = 3 * initial;
        while (!sim.Done)
        {
            var m = sim.Step();
            expected += m.Consumers.Sum();
            Assert.Equal(expected, sim.AgentSteps);
        }
        // Arrivals made the later steps larger than the first.
        Assert.True(expected > 8 * initial);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Threads_ZeroOrLess_MeansEveryCore(int threads) =>
        Assert.Equal(Environment.ProcessorCount, new Simulation(Model(), threads).Threads);

    [Fact]
    public void Threads_Given_AreUsed() => Assert.Equal(3, new Simulation(Model(), 3).Threads);

    [Fact]
    public void Timings_ArePositive_AndTogetherWithinTheWallClock()
    {
        var clock = Stopwatch.StartNew();
        var sim = new Simulation(Model(steps: 6, burnIn: 2), threads: 1);
        double init = clock.Elapsed.TotalSeconds;
        Assert.InRange(sim.InitialiseSeconds, double.Epsilon, init);
        // The burn-in's steps count as stepping, as in bench: they are agent-steps the machine ran.
        Assert.True(sim.StepSeconds > 0);
        Assert.True(sim.AggregateSeconds > 0);
        double stepped = sim.StepSeconds, aggregated = sim.AggregateSeconds;
        clock.Restart();
        while (!sim.Done) sim.Step();
        double wall = clock.Elapsed.TotalSeconds;
        Assert.True(sim.StepSeconds > stepped);
        Assert.True(sim.AggregateSeconds > aggregated);
        Assert.True(sim.StepSeconds - stepped + sim.AggregateSeconds - aggregated <= wall,
            $"step {sim.StepSeconds - stepped} + aggregate {sim.AggregateSeconds - aggregated} s > wall {wall} s");
    }

    [Fact]
    public void Cancel_StopsTheBurnIn_ButNotAConstructionWithoutOne()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => new Simulation(Model(burnIn: 2), 1, cancelled.Token));
        var sim = new Simulation(Model(burnIn: 0), 1, cancelled.Token);
        Assert.Equal(0, sim.CurrentStep);
    }

    [Fact]
    public void Restore_FromNoStream_IsRefused() =>
        Assert.Throws<ArgumentNullException>(() => Simulation.Restore(Model(), null!));
}
