using MarketSim.Analysis;
using SkiaSharp;

namespace MarketSim.Tests;

/// <summary>
/// The sensitivity charts read back as pixels: the image sizes, which bars are solid and which pale (resolved or not),
/// the Morris points in their palette colours, and where the main-effect panels sit in the grid. The report tests
/// check that the charts exist; these check what they show.
/// </summary>
public sealed class AnalysisChartTests
{
    private static readonly SKColor First = new(0x1F, 0x77, 0xB4), Total = new(0xFF, 0x7F, 0x0E);

    /// <summary>A colour drawn at alpha 0.22 over white.</summary>
    private static SKColor Pale(SKColor c) => new((byte)Math.Round(255 - 0.22 * (255 - c.Red)), (byte)Math.Round(255 - 0.22 * (255 - c.Green)),
        (byte)Math.Round(255 - 0.22 * (255 - c.Blue)));

    private static SKBitmap Decode(byte[] png) => SKBitmap.Decode(png) ?? throw new InvalidOperationException("not a PNG");

    private static int CountNear(SKBitmap b, SKColor c, int tolerance, int left = 0, int top = 0, int right = int.MaxValue, int bottom = int.MaxValue)
    {
        int n = 0;
        for (int y = top; y < Math.Min(bottom, b.Height); y++)
            for (int x = left; x < Math.Min(right, b.Width); x++)
            {
                var p = b.GetPixel(x, y);
                if (Math.Abs(p.Red - c.Red) <= tolerance && Math.Abs(p.Green - c.Green) <= tolerance && Math.Abs(p.Blue - c.Blue) <= tolerance) n++;
            }
        return n;
    }

    [Theory]
    [InlineData("behaviour.attention", "attention")]
    [InlineData("alliances.jd-kuaishou.traffic", "jd-kuaishou.traffic")]
    [InlineData("seed", "seed")]
    [InlineData(".x", ".x")]
    [InlineData("x.", "x.")]
    public void Short_DropsTheFirstSegmentOnly_WhenThereIsSomethingOnBothSides(string path, string expected) =>
        Assert.Equal(expected, AnalysisCharts.Short(path));

    [Fact]
    public void Sobol_ResolvedBarsSolid_UnresolvedPale_OnA1600By900Image()
    {
        // x1: small indices with narrow intervals (resolved, solid); x2: large ones with intervals 0.6 wide (pale).
        var indices = new[]
        {
            new SobolIndex(new Estimate(0.1, 0.08, 0.12), new Estimate(0.15, 0.12, 0.18)),
            new SobolIndex(new Estimate(0.6, 0.3, 0.9), new Estimate(0.7, 0.4, 1.0)),
        };
        using var bmp = Decode(AnalysisCharts.Sobol("t", ["p.x1", "p.x2"], indices));
        Assert.Equal((1600, 900), (bmp.Width, bmp.Height));
        int solidFirst = CountNear(bmp, First, 8), paleFirst = CountNear(bmp, Pale(First), 8);
        int solidTotal = CountNear(bmp, Total, 8), paleTotal = CountNear(bmp, Pale(Total), 8);
        // The pale bars are 4–6 times taller than the solid ones (plus a small solid legend patch each).
        Assert.True(paleFirst > 2 * solidFirst, $"pale first-order pixels {paleFirst}, solid {solidFirst}");
        Assert.True(paleTotal > 2 * solidTotal, $"pale total pixels {paleTotal}, solid {solidTotal}");
        Assert.True(solidFirst > 500 && solidTotal > 500, $"solid bars missing: {solidFirst}, {solidTotal}");

        // Every interval narrow: nothing pale.
        var resolved = new[] { indices[0], new SobolIndex(new Estimate(0.6, 0.55, 0.65), new Estimate(0.7, 0.65, 0.75)) };
        using var all = Decode(AnalysisCharts.Sobol("t", ["p.x1", "p.x2"], resolved));
        Assert.True(CountNear(all, Pale(First), 8) < 50 && CountNear(all, Pale(Total), 8) < 50, "a resolved index drawn pale");
        Assert.True(CountNear(all, First, 8) > 4 * solidFirst / 2, "the resolved large bar is not solid");
    }

    [Fact]
    public void Morris_EachParameterInItsPaletteColour_OnA1600By900Image()
    {
        var blue = new SKColor(0x1F, 0x77, 0xB4);
        var orange = new SKColor(0xFF, 0x7F, 0x0E);
        var one = new[] { new MorrisIndex(5, new Estimate(5, 4, 6), 1, 10) };
        using var single = Decode(AnalysisCharts.Morris("t", ["p.x1"], one, "yuan"));
        Assert.Equal((1600, 900), (single.Width, single.Height));
        Assert.True(CountNear(single, blue, 10) > 100, "the first parameter's point is not drawn in the palette's first colour");
        Assert.True(CountNear(single, orange, 10) < 20, "a second colour with one parameter");

        var two = new[] { one[0], new MorrisIndex(-2, new Estimate(3, 2, 4), 4, 10) };
        using var both = Decode(AnalysisCharts.Morris("t", ["p.x1", "p.x2"], two, "yuan"));
        Assert.True(CountNear(both, orange, 10) > 100, "the second parameter's point is not in the palette's second colour");
    }

    /// <summary>Main effects of n parameters, each a rising line over 4 bins with intervals.</summary>
    private static SKBitmap MainEffects(int n)
    {
        var bins = Enumerable.Range(0, 4).Select(b => (Centre: b + 0.5, Mean: new Estimate(b, b - 0.3, b + 0.3), Count: 5)).ToArray();
        var paths = Enumerable.Range(1, n).Select(i => $"p.x{i}").ToArray();
        return Decode(AnalysisCharts.MainEffects("Main effects", "y", paths, Enumerable.Repeat(bins, n).ToArray()));
    }

    [Theory]
    // n: image height 70 + rows × 560, with 1, 2, 3 or 4 columns for up to 1, 4, 9 and more panels.
    [InlineData(1, 630)]
    [InlineData(2, 630)]
    [InlineData(3, 1190)]
    [InlineData(5, 1190)]
    [InlineData(10, 1750)]
    [InlineData(13, 2310)]
    public void MainEffects_GridOfPanels_2400WideAndRowsOf560(int n, int height)
    {
        using var bmp = MainEffects(n);
        Assert.Equal((2400, height), (bmp.Width, bmp.Height));
        // The title is drawn in the 70-pixel band above the panels.
        int dark = 0;
        for (int y = 0; y < 70; y++)
            for (int x = 0; x < 2400; x++)
                if (bmp.GetPixel(x, y).Red < 100) dark++;
        Assert.True(dark > 100, "no title");
    }

    [Theory]
    // Where the last panel's line is: one panel fills the width; four make a 2 × 2 grid (bottom right filled); nine a
    // 3 × 3 grid (bottom right filled); thirteen a 4-wide grid with one panel in its last row (bottom right empty).
    [InlineData(1, true)]
    [InlineData(4, true)]
    [InlineData(9, true)]
    [InlineData(13, false)]
    public void MainEffects_LastRowRightEdge_HoldsALineExactlyWhenTheGridIsFull(int n, bool filled)
    {
        using var bmp = MainEffects(n);
        int rowTop = bmp.Height - 560;
        int line = CountNear(bmp, First, 12, left: 1900, top: rowTop, right: 2400, bottom: bmp.Height);
        Assert.True(filled ? line > 50 : line == 0, $"{n} panels: {line} line pixels in the bottom right");
    }
}
