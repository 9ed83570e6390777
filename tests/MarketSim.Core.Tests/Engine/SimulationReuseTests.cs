using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Engine;

/// <summary>
/// <see cref="Simulation.Create"/> with a simulation to reuse (what a calibration does between evaluations) must give
/// what a fresh simulation gives, bit for bit, whatever the reused one ran before: every step's metrics and the agent
/// state at the end are compared with a fresh run's.
/// </summary>
public class SimulationReuseTests
{
    /// <summary>The small scenario with an alliance: the one a previous run leaves its buffers full of.</summary>
    private static Scenario First(long agents = 30_000) =>
        TestScenarios.WithAlliance(TestScenarios.Small(agents: agents, steps: 70, seed: 3), new DateOnly(2019, 6, 3));

    /// <summary>The same shape (tiers, platforms, cohorts, agents, horizon) with other parameters, seed and interventions.</summary>
    private static Scenario Second()
    {
        var s = TestScenarios.Small(steps: 70, seed: 19);
        s.Behaviour.Attention = 0.03;
        s.Platforms["pdd"].Brand = 0.4;
        s.Interventions["basket"] = new InterventionSpec { Platform = "jd", Attribute = "basket", Multiply = 1.5, Start = new DateOnly(2019, 1, 7), RampDays = 200 };
        return s;
    }

    private static List<long[]> RunToEnd(Simulation sim, out byte[] state)
    {
        var all = new List<long[]>();
        while (!sim.Done) all.AddRange(sim.Step().CountArrays);
        using var saved = new MemoryStream();
        sim.SaveState(saved);
        state = saved.ToArray();
        return all;
    }

    private static void AssertSameRun(Simulation expected, Simulation actual)
    {
        var a = RunToEnd(expected, out var stateA);
        var b = RunToEnd(actual, out var stateB);
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++) Assert.True(a[i].AsSpan().SequenceEqual(b[i]), $"metric array {i} differs from a fresh simulation's");
        Assert.True(stateA.AsSpan().SequenceEqual(stateB), "the agent state at the end differs from a fresh simulation's");
    }

    private static Simulation Finished(Scenario s)
    {
        var sim = new Simulation(new MarketModel(s), threads: 2);
        while (!sim.Done) sim.Step();
        return sim;
    }

    [Fact]
    public void Create_ReusingARunOfAnotherScenario_StepsAsAFreshSimulation()
    {
        var previous = Finished(First());
        var model = new MarketModel(Second());
        var reused = Simulation.Create(model, threads: 2, reuse: previous);
        Assert.Same(previous.Chunks[0].Set, reused.Chunks[0].Set); // the buffers were taken, not allocated
        AssertSameRun(new Simulation(model, threads: 2), reused);
    }

    [Fact]
    public void Create_ReusingAHalfFinishedRun_StepsAsAFreshSimulation()
    {
        // Stopped mid-run (a cancelled evaluation): tallies, locality counts and tables are those of a step in progress.
        var previous = new Simulation(new MarketModel(First()), threads: 1);
        for (int k = 0; k < 23; k++) previous.Step();
        var model = new MarketModel(Second());
        AssertSameRun(new Simulation(model, threads: 1), Simulation.Create(model, threads: 2, reuse: previous));
    }

    [Fact]
    public void Create_ReusingASimulationOfAnotherShape_AllocatesAndStepsAsAFreshSimulation()
    {
        var previous = Finished(First(agents: 12_000));
        var model = new MarketModel(Second());
        var reused = Simulation.Create(model, threads: 2, reuse: previous);
        Assert.NotSame(previous.Chunks[0].Set, reused.Chunks[0].Set);
        AssertSameRun(new Simulation(model, threads: 2), reused);
    }

    [Fact]
    public void Restore_ReusingAnotherRun_ContinuesAsARestoreWithoutReuse()
    {
        var model = new MarketModel(Second());
        var source = new Simulation(model, threads: 1);
        for (int k = 0; k < 30; k++) source.Step();
        using var saved = new MemoryStream();
        source.SaveState(saved);
        var previous = Finished(First());
        var plain = Simulation.Restore(model, new MemoryStream(saved.ToArray()), threads: 1);
        var reused = Simulation.Restore(model, new MemoryStream(saved.ToArray()), threads: 2, reuse: previous);
        AssertSameRun(plain, reused);
    }

    [Fact]
    public void Step_AfterItsBuffersWereTaken_Throws()
    {
        var previous = new Simulation(new MarketModel(First()), threads: 1);
        _ = Simulation.Create(new MarketModel(Second()), threads: 1, reuse: previous);
        Assert.Throws<InvalidOperationException>(() => previous.Step());
        Assert.Throws<InvalidOperationException>(() => previous.SaveState(Stream.Null));
        Assert.Throws<InvalidOperationException>(() => Simulation.Create(new MarketModel(Second()), threads: 1, reuse: previous));
    }
}
