using MarketSim.Analysis;

namespace MarketSim.Tests;

/// <summary>
/// Issue 29, item 6: the sensitivity report's words follow the intervals. "First-order indices add up to 1.48: the
/// parameters act almost additively" stood beside S1 intervals as wide as [−1.41, 2.47]; now wide intervals are called
/// unresolved with the N that would resolve them, a sum above 1 is called estimator noise, and a main effect flat within
/// its intervals is called noise.
/// </summary>
public class SensitivityTextTests
{
    private static readonly string[] Paths = ["alliances.jd-kuaishou.traffic[0].share", "behaviour.attention", "behaviour.inertia"];

    private static SobolIndex Index(double s1, double lo1, double hi1, double st, double loT, double hiT) =>
        new(new Estimate(s1, lo1, hi1), new Estimate(st, loT, hiT));

    [Fact]
    public void WideIntervals_AreNotResolved_SumAboveOneIsNoise_AndNRecommended()
    {
        var sobol = new[] { Index(0.53, -1.41, 2.47, 0.6, 0.1, 1.1), Index(0.5, 0.2, 0.8, 0.55, 0.3, 0.9), Index(0.45, 0.1, 0.7, 0.5, 0.2, 0.8) };
        string text = AnalysisReport.SobolVerdict(sobol, Paths, 16, 3, 2, out int n);

        Assert.Contains("**Not resolved at N = 16**", text, StringComparison.Ordinal);
        Assert.Contains("S1 of `alliances.jd-kuaishou.traffic[0].share` 0.53 [-1.41, 2.47], is 3.88 wide", text, StringComparison.Ordinal);
        Assert.Contains("The first-order indices add up to 1.48: a sum above 1 is estimator noise", text, StringComparison.Ordinal);
        Assert.DoesNotContain("additively", text, StringComparison.Ordinal);
        // Widths shrink as 1/√N: 16 × (3.88 / 0.1)² ≈ 24 087, the next power of two.
        Assert.Equal(32768, n);
        Assert.Contains("**Raise N to about 32768** (`design: {type: saltelli, base: 32768}`: 163840 points × 2 replications = 327680 runs)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NarrowIntervals_SayWhatTheSumMeans()
    {
        var additive = new[] { Index(0.6, 0.55, 0.65, 0.62, 0.57, 0.67), Index(0.3, 0.25, 0.35, 0.31, 0.27, 0.36), Index(0.05, 0.0, 0.1, 0.06, 0.02, 0.1) };
        Assert.Contains("act almost additively", AnalysisReport.SobolVerdict(additive, Paths, 512, 3, 2, out int n));
        Assert.Equal(512, n);
        var interacting = new[] { Index(0.3, 0.25, 0.35, 0.6, 0.55, 0.65), Index(0.2, 0.15, 0.25, 0.5, 0.45, 0.55), Index(0, -0.05, 0.05, 0.1, 0.05, 0.15) };
        Assert.Contains("about 50 % of the variance comes from interactions", AnalysisReport.SobolVerdict(interacting, Paths, 512, 3, 2, out _));
        var noisy = new[] { Index(0.7, 0.62, 0.78, 0.7, 0.62, 0.78), Index(0.5, 0.42, 0.58, 0.5, 0.42, 0.58), Index(0, -0.05, 0.05, 0, -0.05, 0.05) };
        Assert.Contains("above 1, which is estimator noise", AnalysisReport.SobolVerdict(noisy, Paths, 512, 3, 2, out _));
    }

    [Fact]
    public void MainEffect_WhoseBinsAllContainTheMean_IsFlatWithinNoise()
    {
        (double, Estimate, int)[] Bins(params (double Low, double High)[] b) => b.Select((x, i) => ((double)i, new Estimate((x.Low + x.High) / 2, x.Low, x.High), 10)).ToArray();
        var o = new OutputAnalysis("jd_gain", "", 100, 30, null, null, [0, 0, 0], 0.2,
        [
            Bins((80, 130), (60, 105), (95, 140)),      // zig-zags, but every interval holds 100: noise (the "inert traffic" case)
            Bins((20, 60), (90, 110), (150, 190)),      // a real effect
            Bins((99, 101), (40, 99.5), (100, 160)),    // one bin excludes the mean
        ]);
        Assert.Equal([0], AnalysisReport.FlatMainEffects(o));
    }
}
