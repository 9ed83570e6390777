using MarketSim.Randomness;

namespace MarketSim.Tests.Randomness;

public sealed class CounterRandomTests
{
    [Fact]
    public void At_SeedZero_MatchesReferenceSplitMix64()
    {
        // First outputs of Vigna's reference splitmix64.c (prng.di.unimi.it) started from state 0.
        ulong[] expected = [0xE220A8397B1DCDAFUL, 0x6E789E6AA1B965F4UL, 0x06C45D188009454FUL, 0xF88BB8A8724C81ECUL];

        Assert.Equal(expected, Enumerable.Range(0, 4).Select(n => CounterRandom.At(0, (ulong)n)));
    }

    [Fact]
    public void StreamKey_DiffersByPurposeStepAndSeed()
    {
        var keys = new HashSet<ulong>();
        foreach (ulong seed in new ulong[] { 0, 1, 20200527 })
            foreach (var purpose in Enum.GetValues<StreamPurpose>())
                for (long step = -1; step < 200; step++)
                    Assert.True(keys.Add(CounterRandom.StreamKey(seed, purpose, step)));
    }

    [Fact]
    public void ToUnitAndBelow_StayInRangeAndAreUnbiasedOnAverage()
    {
        const int n = 200_000;
        ulong key = CounterRandom.StreamKey(5, StreamPurpose.Step, 3);
        double sum = 0;
        var counts = new int[7];
        for (int i = 0; i < n; i++)
        {
            ulong bits = CounterRandom.At(key, (ulong)i);
            double u = CounterRandom.ToUnit(bits);
            Assert.InRange(u, 0.0, Math.BitDecrement(1.0));
            sum += u;
            counts[CounterRandom.Below(bits, 7)]++;
        }
        // Five standard errors: a broken mixer or an off-by-one range fails, chance does not (p < 1e-6).
        Assert.InRange(sum / n, 0.5 - 5 * Math.Sqrt(1.0 / 12 / n), 0.5 + 5 * Math.Sqrt(1.0 / 12 / n));
        double p = 1.0 / 7, se = Math.Sqrt(p * (1 - p) / n);
        Assert.All(counts, c => Assert.InRange(c / (double)n, p - 5 * se, p + 5 * se));
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(0x9E3779B97F4A7C15UL, (1UL << 40) | 16384)]
    [InlineData(ulong.MaxValue, ulong.MaxValue - 20)]   // counters wrap around 2^64
    public void Fill_AnyLengthAndStart_SameBitsAsAt(ulong state, ulong first)
    {
        // Lengths around the vector width, so the vector loop, its tail and the scalar fallback are all exercised.
        for (int length = 0; length <= 13; length++)
        {
            var filled = new ulong[length];
            CounterRandom.Fill(state, first, filled);
            Assert.Equal(Enumerable.Range(0, length).Select(k => CounterRandom.At(state, unchecked(first + (ulong)k))), filled);
        }
    }
}
