using System.Numerics;
using MarketSim.Engine;

namespace MarketSim.Tests.Engine;

/// <summary>
/// The engine's small helpers that have an instruction-set form and a portable form: both against a definition
/// written out plainly, in this process (the child processes of <see cref="CpuParityTests"/> run the portable forms
/// through whole simulations, where a wrong count shows only in aggregate), and the weighted pick at its edges.
/// </summary>
public class PortableTwinsTests
{
    /// <summary>Index of the n-th (0-based) set bit, or 32 when the mask has n bits or fewer.</summary>
    private static int NthSetBitByDefinition(int mask, int n)
    {
        for (int bit = 0, seen = 0; bit < 32; bit++)
            if ((mask >> bit & 1) != 0 && seen++ == n) return bit;
        return 32;
    }

    [Fact]
    public void NthSetBit_BothForms_AreTheDefinition_ForEveryPlatformMaskAndRank()
    {
        for (int mask = 0; mask < 256; mask++)
            for (int n = 0; n <= BitOperations.PopCount((uint)mask); n++)
            {
                int expected = NthSetBitByDefinition(mask, n);
                Assert.Equal(expected, Simulation.NthSetBitPortable(mask, n));
                // n = the number of set bits has no such bit: 32 either way (the callers never ask for it).
                Assert.Equal(expected, Simulation.NthSetBit(mask, n));
            }
    }

    /// <summary>1 + the number of levels the draw is below: the orders a buyer places.</summary>
    private static int OrderCountByDefinition(ushort[] levels, int u) => 1 + levels.Count(l => u < l);

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.5)]
    [InlineData(1.25)]
    [InlineData(4)]
    [InlineData(12)]
    [InlineData(40)]
    public void OrderCount_BothForms_AreOnePlusTheLevelsAboveTheDraw(double rate)
    {
        var levels = new ushort[DecisionTables.Levels];
        DecisionTables.FillCountLevels(rate, levels);
        // Every draw at, just below and just above each level, and a sweep between.
        var draws = levels.SelectMany(l => new[] { l - 1, (int)l, l + 1 }).Where(u => u is >= 0 and < DecisionTables.One)
            .Concat(Enumerable.Range(0, 4096).Select(k => k * 16));
        foreach (int u in draws)
        {
            int expected = OrderCountByDefinition(levels, u);
            Assert.Equal(expected, Simulation.OrderCountPortable(ref levels[0], u));
            Assert.Equal(expected, Simulation.OrderCount(ref levels[0], u));
        }
        // Below every level (a certain second order at rate 40) the count is the most there is.
        Assert.Equal(rate >= 40 ? 1 + DecisionTables.Levels : OrderCountByDefinition(levels, 0), Simulation.OrderCount(ref levels[0], 0));
    }

    [Fact]
    public void Pick_FollowsTheWeights_SkipsZeroOnes_AndTakesTheLastPositiveAtTheTop()
    {
        float[] w = [0, 1, 0, 2, 0];
        // The target is the top 24 bits as a fraction of the total: [0, 1/3) → 1, [1/3, 1) → 3.
        static ulong At(double fraction) => (ulong)(fraction * (1 << 24)) << 40;
        Assert.Equal(1, Simulation.Pick(w, 5, 3, At(0)));
        Assert.Equal(1, Simulation.Pick(w, 5, 3, At(0.33)));
        Assert.Equal(3, Simulation.Pick(w, 5, 3, At(0.34)));
        Assert.Equal(3, Simulation.Pick(w, 5, 3, ulong.MaxValue));
        // A total above the weights' sum (rounding can put the target there): the last positive weight, not the last slot.
        Assert.Equal(3, Simulation.Pick(w, 5, 4, ulong.MaxValue));
        // Only the first count weights take part.
        Assert.Equal(1, Simulation.Pick(w, 3, 1, ulong.MaxValue));
        // The draw's low 40 bits do not matter.
        Assert.Equal(Simulation.Pick(w, 5, 3, At(0.5)), Simulation.Pick(w, 5, 3, At(0.5) | 0xFF_FFFF_FFFFUL));
    }
}

/// <summary>
/// The ageing of purchase recency, four agents at a time with AVX2 and one at a time for the rest of a chunk: every
/// lane in use one step older, a lane not in use (255) left alone, and an agent flagged where a lane has just reached
/// the year or the inactivity limit. Lengths 0 to 11 put agents in the vector part, in the tail, or both.
/// </summary>
public class RecencyAgeingTests
{
    [Theory]
    [InlineData(52, 78)]
    [InlineData(26, 39)]
    [InlineData(122, 254)]
    public void AgeRecency_EveryLaneInUseOneStepOlder_FlaggedWhereALimitIsJustReached(int annual, int inactive)
    {
        var random = new Random(annual);
        for (int length = 0; length < 12; length++)
            for (int trial = 0; trial < 50; trial++)
            {
                var recency = new ulong[length];
                for (int i = 0; i < length; i++)
                    for (int p = 0; p < 8; p++)
                    {
                        // Lanes not in use, lanes one step before a limit, at it, and anywhere.
                        int lane = random.Next(6) switch
                        {
                            0 => 255,
                            1 => annual - 1,
                            2 => inactive - 1,
                            3 => annual,
                            4 => 254,
                            _ => random.Next(255),
                        };
                        recency[i] |= (ulong)lane << (8 * p);
                    }
                var before = (ulong[])recency.Clone();
                var reached = new byte[Math.Max(length, 1) + 3];
                Simulation.AgeRecency(recency, annual, inactive, reached);
                for (int i = 0; i < length; i++)
                {
                    bool hit = false;
                    for (int p = 0; p < 8; p++)
                    {
                        int was = (int)(before[i] >> (8 * p) & 0xFF), now = (int)(recency[i] >> (8 * p) & 0xFF);
                        Assert.Equal(was == 255 ? 255 : was + 1, now);
                        hit |= was != 255 && (now == annual || now == inactive);
                    }
                    Assert.True(hit == (reached[i] != 0), $"length {length}, agent {i}: reached {reached[i]}, expected {(hit ? "a flag" : "none")}");
                }
            }
    }
}
