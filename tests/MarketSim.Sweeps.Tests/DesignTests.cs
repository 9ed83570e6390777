using MarketSim.Sweeps;

namespace MarketSim.Tests;

public class DesignTests
{
    // Joe & Kuo's sobol.cc with new-joe-kuo-6.21201 (and scipy.stats.qmc.Sobol(d=3, scramble=False)) print these as
    // points 1..7 of the first three dimensions (point 0 is the origin).
    private static readonly double[][] PublishedFirstPoints =
    [
        [0.5, 0.5, 0.5], [0.75, 0.25, 0.25], [0.25, 0.75, 0.75], [0.375, 0.375, 0.625],
        [0.875, 0.875, 0.125], [0.625, 0.125, 0.875], [0.125, 0.625, 0.375],
    ];

    [Fact]
    public void SobolAt_FirstDimensions_MatchPublishedPoints()
    {
        for (int i = 0; i < PublishedFirstPoints.Length; i++)
            for (int d = 0; d < 3; d++)
                Assert.Equal(PublishedFirstPoints[i][d], SobolSequence.At(i + 1, d));
        Assert.All(Enumerable.Range(0, SobolSequence.MaxDimensions), d => Assert.Equal(0.0, SobolSequence.At(0, d)));
    }

    [Fact]
    public void Sobol_Design_SkipsTheOriginAndStartsAtPointOne()
    {
        var x = Designs.Sobol(3, 3);
        Assert.Equal(PublishedFirstPoints[0], x[0]);
        Assert.Equal(PublishedFirstPoints[2], x[2]);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void SobolAt_First2PowMPoints_HitEveryDyadicIntervalOnceInEveryDimension(int m)
    {
        int n = 1 << m;
        for (int d = 0; d < SobolSequence.MaxDimensions; d++)
        {
            var hits = new int[n];
            for (int i = 0; i < n; i++) hits[(int)(SobolSequence.At(i, d) * n)]++;
            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }

    [Fact]
    public void SobolAt_FirstTwoDimensions_FormA02Net()
    {
        // Every elementary box of area 1/16 (2^a × 2^b cells, a + b = 4) holds exactly one of the first 16 points.
        for (int a = 0; a <= 4; a++)
        {
            int b = 4 - a;
            var hits = new int[1 << a, 1 << b];
            for (int i = 0; i < 16; i++) hits[(int)(SobolSequence.At(i, 0) * (1 << a)), (int)(SobolSequence.At(i, 1) * (1 << b))]++;
            foreach (int h in hits) Assert.Equal(1, h);
        }
    }

    [Theory]
    [InlineData(1, 3, 1UL)]
    [InlineData(10, 2, 7UL)]
    [InlineData(97, 5, 12345UL)]
    [InlineData(1000, 8, 0UL)]
    public void LatinHypercube_AnySize_HitsEachStratumExactlyOncePerParameter(int n, int dims, ulong seed)
    {
        var x = Designs.LatinHypercube(n, dims, seed);
        for (int d = 0; d < dims; d++)
        {
            var hits = new int[n];
            foreach (var point in x)
            {
                Assert.InRange(point[d], 0.0, Math.BitDecrement(1.0));   // 1.0 - double.Epsilon is 1.0 itself
                hits[(int)(point[d] * n)]++;
            }
            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }

    [Fact]
    public void LatinHypercube_SameSeed_SamePointsAndOtherSeedOtherPoints()
    {
        Assert.Equal(Designs.LatinHypercube(20, 3, 5), Designs.LatinHypercube(20, 3, 5));
        Assert.NotEqual(Designs.LatinHypercube(20, 3, 5), Designs.LatinHypercube(20, 3, 6));
        Assert.NotEqual(Designs.LatinHypercube(20, 3, 5).Select(p => p[0]), Designs.LatinHypercube(20, 3, 5).Select(p => p[1]));
    }

    [Fact]
    public void Random_SameSeed_SamePointsInUnitCube()
    {
        var a = Designs.Random(50, 4, 9);
        Assert.Equal(a, Designs.Random(50, 4, 9));
        Assert.NotEqual(a, Designs.Random(50, 4, 10));
        Assert.All(a.SelectMany(p => p), v => Assert.InRange(v, 0.0, Math.BitDecrement(1.0)));
    }

    [Fact]
    public void Grid_TwoParameters_EveryCombinationLastVaryingFastest()
    {
        var g = Designs.Grid([2, 3]);
        Assert.Equal([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]], g);
    }
}
