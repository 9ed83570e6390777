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
