using MarketSim.Analysis;

namespace MarketSim.Tests;

/// <summary>
/// The report's rules at their boundaries: amounts at 10³, 10⁶ and 10⁹, an interval exactly 0.2 wide (resolved), the
/// recommended Saltelli base (N × (width / 0.1)², rounded up to a power of two, at most 2²⁰), and which main effects are
/// flat (an interval touching the mean counts as containing it; no bins, not flat).
/// </summary>
public sealed class ReportRulesTests
{
    [Theory]
    [InlineData(999, "999")]
    [InlineData(12.5, "12.5")]
    [InlineData(1_000, "1.0 k")]
    [InlineData(-1_500, "-1.5 k")]
    [InlineData(999_949, "999.9 k")]
    [InlineData(1_000_000, "1.00 M")]
    [InlineData(2_345_000, "2.35 M")]
    [InlineData(1_000_000_000, "1.00 B")]
    [InlineData(-2_500_000_000, "-2.50 B")]
    public void Amount_ScalesAtEachThousandfold(double v, string expected) => Assert.Equal(expected, AnalysisReport.Amount(v));

    [Fact]
    public void Resolved_AnIntervalExactly02Wide_IsResolved_AndNoIntervalIsNot()
    {
        Assert.True(AnalysisReport.Resolved(new Estimate(0.1, 0, 0.2)));
        Assert.False(AnalysisReport.Resolved(new Estimate(0.1, 0, 0.25)));
        Assert.False(AnalysisReport.Resolved(new Estimate(0.1, null, null)));
        Assert.Equal(0.25, AnalysisReport.Width(new Estimate(0.1, 0, 0.25)));
    }

    [Theory]
    [InlineData(8, 0.4, 128)]          // 8 × 4² = 128, a power of two already
    [InlineData(8, 0.3, 128)]          // 8 × 9 = 72 → 128
    [InlineData(8, 0.1, 8)]            // at the target: no more points
    [InlineData(8, 0.05, 8)]           // narrower: never fewer than now
    [InlineData(1, 0.4, 16)]           // a base of one is a base
    [InlineData(0, 0.4, 0)]            // no base: nothing to scale
    [InlineData(8, double.PositiveInfinity, 8)]
    [InlineData(1 << 20, 1.0, 1 << 20)] // capped at 2^20
    [InlineData(1 << 10, 100.0, 1 << 20)]
    public void RecommendedBase_ScalesWithTheSquaredWidth_InPowersOfTwo(int current, double widest, int expected) =>
        Assert.Equal(expected, AnalysisReport.RecommendedBase(current, widest));

    private static OutputAnalysis WithBins(double mean, params (double Centre, Estimate Mean, int Count)[][] bins) =>
        new("y", "d", mean, 1, null, null, new double[bins.Length], 0, bins);

    [Fact]
    public void FlatMainEffects_IntervalTouchingTheMean_IsFlat_AMissedMeanOrNoBinsIsNot()
    {
        var touchLow = new[] { (0.5, new Estimate(1.5, 1.0, 2.0), 3), (1.5, new Estimate(0.5, 0.0, 1.0), 3) };
        var missed = new[] { (0.5, new Estimate(3, 2, 4), 3), (1.5, new Estimate(1, 0.5, 1.5), 3) };
        var noInterval = new[] { (0.5, new Estimate(1, null, null), 1) };
        var o = WithBins(1.0, touchLow, missed, noInterval, []);
        Assert.Equal([0], AnalysisReport.FlatMainEffects(o));
    }
}
