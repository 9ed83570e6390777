using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Tests.Engine;

public class SimulationStateTests
{
    private static void AssertSame(StepMetrics a, StepMetrics b)
    {
        Assert.Equal((a.Step, a.Date), (b.Step, b.Date));
        Assert.Equal(a.Consumers, b.Consumers);
        Assert.Equal(a.AnnualActive, b.AnnualActive);
        Assert.Equal(a.PeriodActive, b.PeriodActive);
        Assert.Equal(a.Primary, b.Primary);
        Assert.Equal(a.GmvFen, b.GmvFen);
        Assert.Equal(a.Flows, b.Flows);
        Assert.Equal(a.Overlap, b.Overlap);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(60)]
    public void Restore_StateSavedAtAStep_ContinuesExactlyAsAnUninterruptedRun(int stopAt)
    {
        var model = new MarketModel(TestScenarios.WithAlliance(TestScenarios.Small(steps: 60), new DateOnly(2019, 3, 1)));
        var whole = new Simulation(model, 2);
        var expected = new List<StepMetrics>();
        while (!whole.Done) expected.Add(whole.Step());

        var first = new Simulation(model, 1);
        for (int k = 0; k < stopAt; k++) first.Step();
        var saved = new MemoryStream();
        first.SaveState(saved);
        saved.Position = 0;
        var resumed = Simulation.Restore(new MarketModel(model.Scenario), saved, threads: 2);

        Assert.Equal(stopAt, resumed.CurrentStep);
        for (int k = stopAt; k < expected.Count; k++) AssertSame(expected[k], resumed.Step());
        Assert.True(resumed.Done);
    }

    [Fact]
    public void Restore_StateOfAnotherShapeOrTruncated_IsRefused()
    {
        var small = new MarketModel(TestScenarios.Small(agents: 30_000));
        var sim = new Simulation(small, 1);
        sim.Step();
        var saved = new MemoryStream();
        sim.SaveState(saved);

        var bigger = new MarketModel(TestScenarios.Small(agents: 90_000));
        Assert.Throws<InvalidDataException>(() => Simulation.Restore(bigger, new MemoryStream(saved.ToArray())));
        Assert.Throws<InvalidDataException>(() => Simulation.Restore(small, new MemoryStream(saved.ToArray()[..1000])));
        Assert.Throws<InvalidDataException>(() => Simulation.Restore(small, new MemoryStream(new byte[64])));
    }
}
