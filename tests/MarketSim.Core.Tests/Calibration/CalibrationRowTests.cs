using MarketSim.Calibration;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Calibration;

/// <summary><see cref="CalibrationRow"/>: its errors by their definitions, the tolerance boundary, labels, periods and units.</summary>
public sealed class CalibrationRowTests
{
    private static CalibrationRow Row(double reported, double simulated, double tolerance = 0.1, string metric = CalibrationMetric.AnnualActive,
        string platform = "jd", string tiers = "all", string with = "", DateOnly? from = null, string? unit = null) =>
        new(0, from, new DateOnly(2019, 12, 31), platform, with, tiers, metric, unit ?? CalibrationMetric.UnitOf(metric),
            reported, simulated, tolerance, 1, true, "");

    private static string Name(string id) => id switch
    {
        "jd" => "JD.com",
        "pdd" => "Pinduoduo",
        _ => throw new InvalidOperationException($"no display name asked for '{id}'"),
    };

    [Fact]
    public void RelativeErrorAndLogRatio_FollowTheirDefinitions()
    {
        Assert.Equal(0.25, Row(4, 5).RelativeError);      // (5 − 4) / 4
        Assert.Equal(-0.25, Row(4, 3).RelativeError);     // (3 − 4) / 4
        Assert.Equal(Math.Log(1.25), Row(4, 5).LogRatio, 15);
        Assert.Equal(-Math.Log(1.25), Row(5, 4).LogRatio, 15);   // symmetric: 4 vs 5 and 5 vs 4 differ only in sign
        Assert.Equal(double.NegativeInfinity, Row(4, 0).LogRatio);
    }

    [Theory]
    [InlineData(4, 5, 0.25, true)]    // |error| equal to the tolerance: met
    [InlineData(4, 3, 0.25, true)]    // undershooting by as much: met too
    [InlineData(4, 5, 0.2, false)]
    [InlineData(4, 3, 0.2, false)]
    [InlineData(4, 4, 0.01, true)]
    public void WithinTolerance_IsAbsoluteRelativeErrorAtMostTheTolerance(double reported, double simulated, double tolerance, bool expected) =>
        Assert.Equal(expected, Row(reported, simulated, tolerance).WithinTolerance);

    [Fact]
    public void TierText_IsAllOrTheIdsJoinedBySemicolons()
    {
        Assert.Equal("all", CalibrationRow.TierText([]));
        Assert.Equal("t3", CalibrationRow.TierText(["t3"]));
        Assert.Equal("t3;t4;t6", CalibrationRow.TierText(["t3", "t4", "t6"]));
    }

    [Theory]
    [InlineData(CalibrationMetric.OnlineShoppers, "Online shoppers (t3+t4)")]
    [InlineData(CalibrationMetric.AnnualActive, "JD.com annual-active (t3+t4)")]
    [InlineData(CalibrationMetric.Gmv, "JD.com GMV (t3+t4)")]
    [InlineData(CalibrationMetric.SpendPerBuyer, "JD.com spend per buyer (t3+t4)")]
    [InlineData(CalibrationMetric.UsersShare, "JD.com users in (t3+t4)")]
    [InlineData(CalibrationMetric.GmvShare, "JD.com GMV from (t3+t4)")]
    [InlineData(CalibrationMetric.NewCustomersShare, "JD.com new customers from (t3+t4)")]
    [InlineData(CalibrationMetric.Overlap, "JD.com ∩ Pinduoduo (of the smaller) (t3+t4)")]
    [InlineData("churn", "JD.com churn (t3+t4)")]
    public void Label_NamesTheMetricPlatformAndTiers(string metric, string expected) =>
        Assert.Equal(expected, Row(1, 1, metric: metric, tiers: "t3;t4", with: metric == CalibrationMetric.Overlap ? "pdd" : "").Label(Name));

    [Fact]
    public void Label_OfAllTiersHasNoSuffix_AndAllPlatformsIsNotLookedUp()
    {
        Assert.Equal("JD.com annual-active", Row(1, 1).Label(Name));
        Assert.Equal("all platforms GMV", Row(1, 1, metric: CalibrationMetric.Gmv, platform: "all").Label(Name));
        Assert.Equal("Online shoppers", Row(1, 1, metric: CalibrationMetric.OnlineShoppers, platform: "all").Label(Name));
        Assert.Throws<ArgumentNullException>(() => Row(1, 1).Label(null!));
    }

    [Fact]
    public void Period_IsTheDateForALevel_AndFirstToLastDayForAFlow()
    {
        Assert.Equal("2019-12-31", Row(1, 1).Period);
        Assert.Equal("2019-01-01…2019-12-31", Row(1, 1, metric: CalibrationMetric.Gmv, from: new DateOnly(2019, 1, 1)).Period);
    }

    [Theory]
    [InlineData("millions", 1234.56, "1,234.6 M")]
    [InlineData("millions", 362, "362.0 M")]
    [InlineData("billion_yuan", 2085.4, "2,085 bn yuan")]
    [InlineData("yuan", 1719.6, "1,720 yuan")]
    [InlineData("share", 0.6, "60.0 %")]
    [InlineData("share", 0.4937, "49.4 %")]
    [InlineData("persons", 1234.567, "1235")]
    public void Show_WritesAValueInTheRowsUnit(string unit, double value, string expected) =>
        Assert.Equal(expected, Row(1, 1, unit: unit).Show(value));
}
