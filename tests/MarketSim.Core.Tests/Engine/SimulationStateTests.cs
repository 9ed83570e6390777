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

    /// <summary>
    /// Each header field of a saved state checked on its own: the state is written by one build and may be read by
    /// another or next to another model, and a field that slipped through would restore agents into the wrong arrays.
    /// Offsets follow SaveState's layout: magic, version, tiers, platforms, chunks, step (4 bytes each), arrivals per
    /// tier (8 bytes each), then per chunk its capacity.
    /// </summary>
    [Theory]
    [InlineData(0, 12345, "not MarketSim engine state")]
    [InlineData(4, 2, "engine state version 2, expected 1")]
    [InlineData(8, 17, "engine state for 17 tiers")]
    [InlineData(12, 19, "19 platforms")]
    [InlineData(16, 999, "999 chunks")]
    [InlineData(20, -1, "engine state at step -1, outside 0..")]
    [InlineData(20, 53, "engine state at step 53, outside 0..52")]
    [InlineData(-1, 7, "engine state chunk sizes differ")]
    public void Restore_AHeaderFieldThatDoesNotMatchTheModel_IsRefusedNamingIt(int offset, int value, string message)
    {
        var model = new MarketModel(TestScenarios.Small(agents: 30_000, steps: 52));
        var sim = new Simulation(model, 1);
        sim.Step();
        var saved = new MemoryStream();
        sim.SaveState(saved);
        byte[] bytes = saved.ToArray();
        // Unchanged, the state restores: what fails below fails for the one field written over.
        Assert.Equal(1, Simulation.Restore(model, new MemoryStream(bytes)).CurrentStep);

        if (offset < 0) offset = 24 + 8 * model.T;   // the first chunk's capacity
        BitConverter.TryWriteBytes(bytes.AsSpan(offset, 4), value);
        var e = Assert.Throws<InvalidDataException>(() => Simulation.Restore(model, new MemoryStream(bytes)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Restore_AStateAtTheLastStep_IsAccepted()
    {
        // step == Steps is a finished run (its last checkpoint), not out of range.
        var model = new MarketModel(TestScenarios.Small(agents: 5_000, steps: 3));
        var sim = new Simulation(model, 1);
        while (!sim.Done) sim.Step();
        var saved = new MemoryStream();
        sim.SaveState(saved);
        saved.Position = 0;
        var restored = Simulation.Restore(model, saved);
        Assert.Equal(3, restored.CurrentStep);
        Assert.True(restored.Done);
    }
}
