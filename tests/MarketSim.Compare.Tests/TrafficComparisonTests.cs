using System.Globalization;
using MarketSim.Compare;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>
/// The comparison of an alliance whose only clause is traffic from Kuaishou to JD in t3–t6 (share 0.9, from 4 March
/// 2019) against its baseline: what it must show follows from the clause. Exposed consumers see JD with reach
/// 1 − (1 − r)(1 − 0.9) instead of r, which multiplies JD's weight in their choice by g = (1 − (1 − r)·0.1) / r and
/// changes nothing else; a choice probability g·w / (g·w + rest) is at most g times the baseline's, so JD's extra users
/// are at most (g_max − 1) × the baseline's new JD users in t3–t6 (×2 for feedback through word of mouth and noise).
/// </summary>
public class TrafficComparisonTests
{
    private const double Share = 0.9;
    private const int Jd = 1, Kuaishou = 3;
    private static readonly DateOnly Start = new(2019, 3, 4);

    private static readonly Lazy<Compare.Result> Result = new(() =>
    {
        string file = Path.Combine(Compare.NewTempFolder(), "traffic-only.yaml");
        File.WriteAllText(file, $"extends: {Compare.Scenario("baseline.yaml")}\nname: traffic-only\n" +
            "alliances:\n  traffic-only:\n    members: [jd, kuaishou]\n    start: 2019-03-04\n" +
            $"    traffic:\n      - {{from: kuaishou, to: jd, share: {Share.ToString(CultureInfo.InvariantCulture)}, tiers: [t3, t4, t5, t6]}}\n");
        // The channel under test is re-evaluation's choice; the default baseline re-evaluates among the platforms in use
        // only (switching_cost 50), so the test gives it the switching cost of a model where a choice can reach JD.
        var overrides = new Dictionary<string, string>(Compare.Small(20_000, 50, cohortsPerTier: 128)) { ["behaviour.switching_cost"] = "1.5" };
        var plan = Compare.Plan(file, 3, overrides, baseline: Compare.Scenario("baseline.yaml"));
        return Compare.Run(plan, charts: false);
    });

    [Fact]
    public void Comparison_BeforeTheStartAndInTiers1And2_EveryDifferenceIsExactlyZero()
    {
        var t = Result.Value.Table;
        Assert.Equal(Start, t.Dates[t.FirstDifferentStep!.Value]);
        for (int k = 0; k < t.Dates.Length; k++)
            for (int r = k * t.RowsPerStep; r < (k + 1) * t.RowsPerStep; r++)
                if (t.Dates[k] < Start) Assert.Equal(t.BaselineMean[r], t.ScenarioMean[r]);
        foreach (CompareMetric m in new[] { CompareMetric.AnnualActive, CompareMetric.PrimaryShare, CompareMetric.Gmv })
            for (int k = 0; k < t.Dates.Length; k++)
                for (int tier = 0; tier < 2; tier++)
                    for (int p = 0; p < t.Dimensions.Platforms; p++)
                        Assert.Equal(0.0, t.MeanDifference[t.Row(k, m, tier, p)]);
    }

    [Fact]
    public void Comparison_JdGainsSignificantlyInTheLowerTiers_WithinTheReachBound_AndTakesKuaishousPrimaryUsers()
    {
        var (t, totals) = (Result.Value.Table, Result.Value.Totals);
        int k = t.Dates.Length - 1, all = t.AllTiers;
        int row = t.Row(k, CompareMetric.AnnualActive, all, Jd);
        double gain = t.MeanDifference[row];
        // The whole gain is in t3–t6 (tiers 1–2 are exactly zero above), and it exceeds the noise.
        double lower = Enumerable.Range(2, 4).Sum(tier => t.MeanDifference[t.Row(k, CompareMetric.AnnualActive, tier, Jd)]);
        Assert.True(Math.Abs(gain - lower) <= 1e-9 * Math.Abs(gain), $"JD's gain {gain} is not the sum of its t3–t6 gains {lower}");
        Assert.True(t.CiLow[row] > 0, $"JD's gain {gain:0} has a 95 % interval from {t.CiLow[row]:0}");

        var reach = ScenarioLoader.Load(Compare.Scenario("baseline.yaml")).Scenario!.Platforms["jd"].Reach;
        double gMax = new[] { "t3", "t4", "t5", "t6" }.Max(id => (1 - (1 - reach[id]) * (1 - Share)) / reach[id]);
        int period = totals.PeriodIndex(TotalPeriod.SinceFirstDifference);
        double baselineNew = Enumerable.Range(2, 4).Sum(tier => totals.BaselineTotal[totals.Row(period, CompareMetric.NewUsers, tier, Jd)]);
        double bound = 2 * (gMax - 1) * baselineNew;
        Assert.True(gain <= bound, $"JD gains {gain:0} people, more than the reach bound {bound:0} (g ≤ {gMax:0.###}, baseline new JD users {baselineNew:0})");
        // A floor above noise (the interval above zero is the significance check): the calibrated baseline re-evaluates
        // slowly (attention 0.0145 a week), so 50 weeks of traffic move JD's users by a few hundredths of a per cent.
        Assert.True(gain > 0.0002 * t.BaselineMean[row], $"JD's gain {gain:0} is below 0.02 % of its {t.BaselineMean[row]:0} users");

        // Where JD's users come from: net switching from Kuaishou to JD is positive; Kuaishou's primary share is lower on
        // average over the alliance's steps, by no more than JD's rises.
        Assert.True(t.MeanDifference[t.Row(k, CompareMetric.CumulativeNetFlow, all, Jd, Kuaishou)] > 0, "no net switching from Kuaishou to JD");
        var during = Enumerable.Range(t.FirstDifferentStep!.Value, k + 1 - t.FirstDifferentStep.Value).ToList();
        double kuaishouShare = during.Average(s => t.MeanDifference[t.Row(s, CompareMetric.PrimaryShare, all, Kuaishou)]);
        double jdShare = during.Average(s => t.MeanDifference[t.Row(s, CompareMetric.PrimaryShare, all, Jd)]);
        Assert.True(kuaishouShare < 0, $"Kuaishou's primary share moves {kuaishouShare:0.####} pp on average");
        Assert.True(-kuaishouShare <= jdShare, $"Kuaishou loses {-kuaishouShare:0.####} pp, JD gains only {jdShare:0.####} pp");
    }
}
