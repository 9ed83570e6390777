using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Tests.Engine;

/// <summary>
/// <see cref="AgentChunkView"/>, the engine's read-only seam onto agents: counting agents through it must give the
/// engine's own step tallies (consumers, primary, annual-active, period-active and overlap users, per tier and
/// platform), it must show the chunk's arrived agents and no more, and its layout (chunk order, first index in tier)
/// must be the one documented. Also <see cref="ModelDimensions"/> of a compiled model.
/// </summary>
public sealed class AgentViewTests
{
    // 40 000 agents over tiers of 40 M and 60 M shoppers: tier t2 starts with 24 000 agents, more than one chunk (16 384).
    private static MarketModel Model() => new(TestScenarios.Flat(agents: 40_000, steps: 3));

    private sealed record Counts(long[] Consumers, long[] Primary, long[] AnnualActive, long[] PeriodActive, long[] Overlap);

    private static Counts CountThroughViews(Simulation sim, MarketModel model)
    {
        int T = model.T, P = model.P;
        var c = new Counts(new long[T], new long[T * P], new long[T * P], new long[T * P], new long[T * P * P]);
        for (int i = 0; i < sim.AgentChunkCount; i++)
        {
            var v = sim.ViewAgents(i);
            int t = v.Tier;
            c.Consumers[t] += v.Count;
            for (int a = 0; a < v.Count; a++)
            {
                c.Primary[t * P + v.Primary[a]]++;
                var active = new bool[P];
                for (int p = 0; p < P; p++)
                {
                    bool uses = (v.PlatformSet[a] >> p & 1) != 0;
                    int since = AgentChunkView.StepsSinceOrder(v.Recency[a], p);
                    active[p] = uses && since < model.AnnualSteps;
                    if (active[p]) c.AnnualActive[t * P + p]++;
                    if (uses && since == 0) c.PeriodActive[t * P + p]++;
                }
                for (int p = 0; p < P; p++)
                    for (int q = 0; q < P; q++)
                        if (active[p] && active[q]) c.Overlap[(t * P + p) * P + q]++;
            }
        }
        return c;
    }

    [Fact]
    public void CountingAgentsThroughTheViews_GivesTheEnginesTalliesAtEveryStep()
    {
        var model = Model();
        var sim = new Simulation(model, 1);
        // Before the first step the views show the initial agents.
        Assert.Equal(model.InitialAgents, CountThroughViews(sim, model).Consumers);
        while (!sim.Done)
        {
            var m = sim.Step();
            var c = CountThroughViews(sim, model);
            Assert.Equal(m.Consumers, c.Consumers);
            Assert.Equal(m.Primary, c.Primary);
            Assert.Equal(m.AnnualActive, c.AnnualActive);
            Assert.Equal(m.PeriodActive, c.PeriodActive);
            Assert.Equal(m.Overlap, c.Overlap);
            Assert.True(m.PeriodActive.Sum() > 0);   // orders happen, so the period-active check is not vacuous
        }
    }

    [Fact]
    public void Views_ShowEachChunksArrivedAgents_InTierOrder_IndexedWithinTheirTier()
    {
        var model = Model();
        var sim = new Simulation(model, 1);
        sim.Step();
        // t1: 16 000 agents at the start plus arrivals (one chunk); t2: 24 000 plus arrivals (a full chunk and a part).
        Assert.Equal(3, sim.AgentChunkCount);
        var chunks = sim.Chunks;
        int[] tiers = new int[3];
        long[] first = new long[3];
        for (int i = 0; i < 3; i++)
        {
            var v = sim.ViewAgents(i);
            var ch = chunks[i];
            tiers[i] = v.Tier;
            first[i] = v.FirstIndexInTier;
            Assert.Equal(ch.Arrived, v.Count);
            Assert.True(v.Cohort.SequenceEqual(ch.Cohort.AsSpan(0, ch.Arrived)));
            Assert.True(v.PlatformSet.SequenceEqual(ch.Set.AsSpan(0, ch.Arrived)));
            Assert.True(v.Primary.SequenceEqual(ch.Primary.AsSpan(0, ch.Arrived)));
            Assert.True(v.Satisfaction.SequenceEqual(ch.Satisfaction.AsSpan(0, ch.Arrived)));
            Assert.True(v.Recency.SequenceEqual(ch.Recency.AsSpan(0, ch.Arrived)));
            Assert.Equal(v.Count, v.Primary.Length);
            Assert.Equal(v.Count, v.PlatformSet.Length);
            Assert.Equal(v.Count, v.Satisfaction.Length);
            Assert.Equal(v.Count, v.Recency.Length);
        }
        Assert.Equal([0, 1, 1], tiers);
        Assert.Equal([0L, 0L, AgentChunk.Size], first);
        Assert.Equal(AgentChunk.Size, sim.ViewAgents(1).Count);
        // Arrived agents only: t1's capacity includes later arrivals that have not come yet.
        Assert.True(sim.ViewAgents(0).Count < chunks[0].Capacity);
        Assert.Equal(model.InitialAgents[0] + model.Arrivals[0][0], sim.ViewAgents(0).Count);
        // Satisfaction varies across agents, so the span checks above could tell it from another byte array.
        var sat = sim.ViewAgents(2).Satisfaction.ToArray();
        Assert.True(sat.Distinct().Count() > 1);
    }

    [Fact]
    public void StepsSinceOrder_ReadsThePlatformsByteOfTheRecencyWord()
    {
        const ulong recency = 0x0102_0304_0506_07FFUL;
        Assert.Equal(255, AgentChunkView.StepsSinceOrder(recency, 0));
        Assert.Equal(7, AgentChunkView.StepsSinceOrder(recency, 1));
        Assert.Equal(6, AgentChunkView.StepsSinceOrder(recency, 2));
        Assert.Equal(4, AgentChunkView.StepsSinceOrder(recency, 4));
        Assert.Equal(1, AgentChunkView.StepsSinceOrder(recency, 7));
        Assert.Equal(0, AgentChunkView.StepsSinceOrder(0xFFFF_FFFF_FF00_FFFFUL, 2));
    }

    [Fact]
    public void ModelDimensions_FollowTheScenariosOrder()
    {
        var d = Model().Dimensions;
        Assert.Equal(["t1", "t2"], d.TierIds);
        Assert.Equal(["a", "b", "c"], d.PlatformIds);
        Assert.Equal((2, 3), (d.Tiers, d.Platforms));
        Assert.Equal(7, d.StepDays);
        Assert.Equal(100e6 / 40_000, d.PeoplePerAgent);   // 40 M + 60 M shoppers over 40 000 agents
        var hand = new ModelDimensions(["x"], ["X"], ["p", "q", "r", "s"], ["P", "Q", "R", "S"], ["#1", "#2", "#3", "#4"], 1, 1);
        Assert.Equal((1, 4), (hand.Tiers, hand.Platforms));
    }
}
