using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Tests.Engine;

/// <summary>
/// One step of the weekly order on a constructed population (every consumer on platforms a, b and c with primary a,
/// purchase recency 10 steps on each, no re-evaluation, no streamers, no arrivals), so that each agent's outcome can
/// be read off: where its orders go (the primary with primary_order_share, else one of the others evenly) and how its
/// satisfaction moves (toward the primary's experience by satisfaction_learning after an order there, rising or
/// falling, and not at all after an order elsewhere). Both with the eight-agent blocks and with the scalar loop.
/// </summary>
public class WeeklyOrderTests
{
    private const int Agents = 40_000;

    private static (Simulation Sim, DecisionTables Tables) Constructed(int satisfaction, bool blocks, double primaryShare = 0.6)
    {
        var s = TestScenarios.Flat(agents: Agents, steps: 2);
        s.Streamers.Clear();
        s.Behaviour.Attention = 0;
        s.Behaviour.DissatisfiedAttention = 0;
        s.Behaviour.PrimaryOrderShare = primaryShare;
        foreach (var tier in s.Tiers.Values) tier.NewShoppersMillionsPerYear = 0;
        var model = new MarketModel(s);
        var sim = new Simulation(model, threads: 1) { OrderBlocks = blocks };
        foreach (var ch in sim.Chunks)
            for (int i = 0; i < ch.Arrived; i++)
            {
                ch.Set[i] = 0b111;
                ch.Primary[i] = 0;
                ch.Satisfaction[i] = (byte)satisfaction;
                ch.Recency[i] = 0xFFFFFFFFFF0A0A0AUL;
            }
        var tables = new DecisionTables(model);
        tables.Build(model, 0);
        return (sim, tables);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(0, false)]
    [InlineData(255, true)]
    [InlineData(255, false)]
    public void Satisfaction_MovesTowardThePrimarysExperienceAfterAnOrderThere_AndOnlyThen(int start, bool blocks)
    {
        var (sim, tables) = Constructed(start, blocks);
        sim.Step();
        int learn = tables.SatisfactionLearning256;
        Assert.Equal((int)Math.Round(0.2 * 256), learn);
        int P = sim.Model.P;
        int orderedOnPrimary = 0, orderedElsewhere = 0;
        foreach (var ch in sim.Chunks)
        {
            int experience = tables.Experience[ch.Tier * P];
            Assert.InRange(experience, 1, 254);
            // From 0 it rises by experience × 51 / 256; from 255 it falls, rounded toward minus infinity (an arithmetic shift).
            int after = start + (int)Math.Floor((experience - start) * learn / 256.0);
            Assert.NotEqual(start, after);
            for (int i = 0; i < ch.Arrived; i++)
            {
                bool onPrimary = (ch.Recency[i] & 0xFF) == 0;  // the lane of a platform ordered on this step is 0; it was 10
                if (onPrimary) orderedOnPrimary++;
                else if ((ch.Recency[i] & 0xFFFF00) != 0x0B0B00) orderedElsewhere++;
                Assert.Equal(onPrimary ? after : start, ch.Satisfaction[i]);
            }
        }
        Assert.True(orderedOnPrimary > Agents / 4 && orderedElsewhere > Agents / 10, $"{orderedOnPrimary} on the primary, {orderedElsewhere} elsewhere");
    }

    [Theory]
    [InlineData(0.6, true)]
    [InlineData(0.6, false)]
    [InlineData(0.9, true)]
    [InlineData(0.9, false)]
    public void Orders_GoToThePrimaryWithPrimaryOrderShare_AndEvenlyToTheOthers(double share, bool blocks)
    {
        var (sim, _) = Constructed(128, blocks, share);
        var m = sim.Step();
        long a = 0, b = 0, c = 0;
        for (int t = 0; t < m.Tiers; t++) { a += m.Orders[m.At(t, 0)]; b += m.Orders[m.At(t, 1)]; c += m.Orders[m.At(t, 2)]; }
        double total = a + b + c;
        // About 28 000 buyers (1 − e^−1.25 of 40 000), 1.25 / (1 − e^−1.25) orders each, all on the platform their first
        // order picked: the share's sampling sd is under 0.005.
        Assert.InRange(a / total, share - 0.02, share + 0.02);
        Assert.InRange(b / total, (1 - share) / 2 - 0.02, (1 - share) / 2 + 0.02);
        Assert.InRange(c / total, (1 - share) / 2 - 0.02, (1 - share) / 2 + 0.02);
        // Buyers: each buys with probability 1 − e^−rate, on one platform, whose lane restarts at 0.
        long buyers = sim.Chunks.Sum(ch => Enumerable.Range(0, ch.Arrived).LongCount(i => (ch.Recency[i] & 0xFFFFFF) != 0x0B0B0B));
        double p = 1 - Math.Exp(-1.25);
        Assert.InRange(buyers, Agents * p - 5 * Math.Sqrt(Agents * p * (1 - p)), Agents * p + 5 * Math.Sqrt(Agents * p * (1 - p)));
    }
}
