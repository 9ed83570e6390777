using MarketSim.Calibration;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>
/// Each target metric computed by its definition on a hand-made step sequence: two tiers (t1, t2), two platforms
/// (a, b), 1000 people per agent, weeks starting Monday 2019-01-07, platform a with 1.1 accounts per user.
/// Expected values are worked out by hand in the comments.
/// </summary>
public sealed class TargetMetricTests
{
    private static readonly ModelDimensions Dims = new(["t1", "t2"], ["Tier 1", "Tier 2"], ["a", "b"], ["A", "B"], ["#000000", "#FFFFFF"], 1000, 7);
    private static readonly double[] Accounts = [1.1, 1.0];
    private static readonly DateOnly Start = new(2019, 1, 7);

    /// <summary>Three weeks; week k has GMV 700(k+1) fen per agent on (t1, a), 1400(k+1) on (t2, a), 100 on (t1, b).</summary>
    private static List<StepMetrics> Weeks()
    {
        var weeks = new List<StepMetrics>();
        for (int k = 0; k < 3; k++)
        {
            var m = new StepMetrics(2, 2) { Step = k, Date = Start.AddDays(7 * k) };
            m.Consumers[0] = 300; m.Consumers[1] = 200;
            m.AnnualActive[m.At(0, 0)] = 100; m.AnnualActive[m.At(1, 0)] = 50;
            m.AnnualActive[m.At(0, 1)] = 20; m.AnnualActive[m.At(1, 1)] = 40;
            m.GmvFen[m.At(0, 0)] = 700 * (k + 1); m.GmvFen[m.At(1, 0)] = 1400 * (k + 1);
            m.GmvFen[m.At(0, 1)] = 100;
            m.New[m.At(0, 0)] = 3; m.New[m.At(1, 0)] = 1 + k;
            m.Overlap[m.At(0, 0, 1)] = m.Overlap[m.At(0, 1, 0)] = 15;
            m.Overlap[m.At(1, 0, 1)] = m.Overlap[m.At(1, 1, 0)] = 25;
            weeks.Add(m);
        }
        return weeks;
    }

    private static CalibrationTargetSpec Target(string metric, string platform, DateOnly end, DateOnly? start = null, string[]? tiers = null, string with = "") => new()
    {
        Metric = metric,
        Platform = platform,
        Date = end,
        PeriodStart = start,
        Tiers = [.. tiers ?? []],
        With = with,
        Value = 1,
        Unit = CalibrationMetric.UnitOf(metric),
    };

    private static IReadOnlyList<CalibrationRow> Track(params CalibrationTargetSpec[] targets)
    {
        var tracker = new CalibrationTracker(Dims, Accounts, targets);
        foreach (var m in Weeks()) tracker.Observe(m);
        return tracker.Rows;
    }

    private static double Only(CalibrationTargetSpec target) => Assert.Single(Track(target)).Simulated;

    [Fact]
    public void AnnualActive_IsUsersTimesAccountsPerUserInMillions()
    {
        // (100 + 50) agents × 1.1 accounts × 1000 people / 1e6 = 0.165 M; platform b has 1 account per user: 60 × 1000 / 1e6.
        Assert.Equal(0.165, Only(Target("annual_active", "a", new DateOnly(2019, 1, 16))), 12);
        Assert.Equal(0.060, Only(Target("annual_active", "b", new DateOnly(2019, 1, 16))), 12);
        // Tier t2 only: 50 × 1.1 × 1000 / 1e6.
        Assert.Equal(0.055, Only(Target("annual_active", "a", new DateOnly(2019, 1, 16), tiers: ["t2"])), 12);
    }

    [Fact]
    public void OnlineShoppers_IsConsumersInMillions() =>
        Assert.Equal(0.5, Only(Target("online_shoppers", "all", new DateOnly(2019, 1, 7))), 12);

    [Fact]
    public void Gmv_WeighsEachStepByItsDaysInsidePeriod()
    {
        // 2019-01-10 … 2019-01-23: 4 of week 0's days, all of week 1, 3 of week 2. Platform a's GMV per week is 2100(k+1) fen:
        // 4/7 × 2100 + 4200 + 3/7 × 6300 = 1200 + 4200 + 2700 = 8100 fen per agent → × 1000 people / 100 fen / 1e9 = 8.1e-5 bn yuan.
        Assert.Equal(8.1e-5, Only(Target("gmv", "a", new DateOnly(2019, 1, 23), new DateOnly(2019, 1, 10))), 15);
        // All platforms: b adds 100 fen a week: 4/7 × 100 + 100 + 3/7 × 100 = 200 → 8300 fen → 8.3e-5.
        Assert.Equal(8.3e-5, Only(Target("gmv", "all", new DateOnly(2019, 1, 23), new DateOnly(2019, 1, 10))), 15);
    }

    [Fact]
    public void Gmv_PeriodStartingBeforeTheRun_IsScaledToTheWholePeriodWhenMostlyCovered()
    {
        // 2019-01-06 … 2019-01-20: 15 days, the run covers 14 (weeks 0 and 1: 2100 + 4200 fen); scaled by 15/14.
        double expected = (2100 + 4200) * 15.0 / 14 * 1000 / 100 / 1e9;
        Assert.Equal(expected, Only(Target("gmv", "a", new DateOnly(2019, 1, 20), new DateOnly(2019, 1, 6))), 15);
        // 2018-12-01 … 2019-01-20: 51 days of which 14 are simulated (< 90 %): not compared.
        Assert.Empty(Track(Target("gmv", "a", new DateOnly(2019, 1, 20), new DateOnly(2018, 12, 1))));
    }

    [Fact]
    public void SpendPerBuyer_IsPeriodGmvOverAnnualActiveAccountsAtPeriodEnd()
    {
        // Weeks 0–1 of platform a: 6300 fen = 63 yuan per agent; accounts at the end: 150 × 1.1 = 165 per agent → 63 / 165 yuan.
        Assert.Equal(63.0 / 165, Only(Target("spend_per_buyer", "a", new DateOnly(2019, 1, 20), new DateOnly(2019, 1, 7))), 12);
    }

    [Fact]
    public void UsersShare_IsTheTiersShareOfThePlatformsAnnualActiveUsers()
    {
        // Platform a: t2 has 50 of 150; platform b: t2 has 40 of 60.
        Assert.Equal(50.0 / 150, Only(Target("users_share", "a", new DateOnly(2019, 1, 8), tiers: ["t2"])), 12);
        Assert.Equal(40.0 / 60, Only(Target("users_share", "b", new DateOnly(2019, 1, 8), tiers: ["t2"])), 12);
    }

    [Fact]
    public void GmvShare_IsTheTiersShareOfThePlatformsPeriodGmv()
    {
        // Every week t2 has 1400(k+1) of 2100(k+1) fen: 2/3 whatever the weights.
        Assert.Equal(2.0 / 3, Only(Target("gmv_share", "a", new DateOnly(2019, 1, 23), new DateOnly(2019, 1, 10), ["t2"])), 12);
    }

    [Fact]
    public void NewCustomersShare_IsTheTiersShareOfThePlatformsNewCustomersOverThePeriod()
    {
        // Weeks 0–2 in full: t2 has 1 + 2 + 3 = 6 new, t1 has 9: 6 / 15.
        Assert.Equal(6.0 / 15, Only(Target("new_customers_share", "a", new DateOnly(2019, 1, 27), Start, ["t2"])), 12);
        // Only the last 3 days of week 1 and 4 days of week 2: t2 3/7 × 2 + 4/7 × 3 = 18/7, t1 3/7 × 3 + 4/7 × 3 = 3 → (18/7) / (18/7 + 3).
        double t2 = 3.0 / 7 * 2 + 4.0 / 7 * 3, t1 = 3.0;
        Assert.Equal(t2 / (t2 + t1), Only(Target("new_customers_share", "a", new DateOnly(2019, 1, 24), new DateOnly(2019, 1, 18), ["t2"])), 12);
    }

    [Fact]
    public void Overlap_IsTheShareOfTheSmallerPlatformsUsersAlsoOnTheOther()
    {
        // Both: 15 + 25 = 40; a has 150, b has 60: the smaller is b, so 40 / 60 — in either order of the pair.
        Assert.Equal(40.0 / 60, Only(Target("overlap", "a", new DateOnly(2019, 1, 8), with: "b")), 12);
        Assert.Equal(40.0 / 60, Only(Target("overlap", "b", new DateOnly(2019, 1, 8), with: "a")), 12);
        // Tier t1 alone: 15 both; a 100, b 20 → 15 / 20.
        Assert.Equal(15.0 / 20, Only(Target("overlap", "a", new DateOnly(2019, 1, 8), tiers: ["t1"], with: "b")), 12);
    }

    [Fact]
    public void Levels_AreReadAtTheStepContainingTheirDate_AndDatesOutsideTheRunAreNotCompared()
    {
        var rows = Track(Target("online_shoppers", "all", new DateOnly(2019, 1, 27)), Target("online_shoppers", "all", new DateOnly(2019, 1, 28)),
            Target("online_shoppers", "all", new DateOnly(2019, 1, 6)));
        var row = Assert.Single(rows);
        Assert.Equal(0, row.Target);
    }

    [Fact]
    public void RelativeError_IsSimulatedMinusReportedOverReported()
    {
        var row = new CalibrationRow(0, null, Start, "a", "", "all", "annual_active", "millions", 200, 150, 0.2, 1, true, "");
        Assert.Equal(-0.25, row.RelativeError, 12);
        Assert.False(row.WithinTolerance);
        Assert.True((row with { Tolerance = 0.25 }).WithinTolerance);
    }
}
