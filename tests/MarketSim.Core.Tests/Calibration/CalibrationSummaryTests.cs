using MarketSim.Calibration;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Calibration;

/// <summary><see cref="CalibrationSummary"/>: its counts, dates and worst error from hand-made rows, and its sentences word for word.</summary>
public sealed class CalibrationSummaryTests
{
    private static CalibrationRow Row(string metric, string platform, DateOnly date, double reported, double simulated, double tolerance,
        DateOnly? from = null, string tiers = "all") =>
        new(0, from, date, platform, metric == CalibrationMetric.Overlap ? "pdd" : "", tiers, metric, CalibrationMetric.UnitOf(metric), reported, simulated, tolerance, 1, true, "");

    private static string Name(string id) => id switch
    {
        "jd" => "JD.com",
        "pdd" => "Pinduoduo",
        _ => throw new InvalidOperationException($"no display name asked for '{id}'"),
    };

    /// <summary>
    /// Five rows, not in date order. Errors: +5 % (exactly the band), −10 %, +2 %, +30 %, −4 %; tolerances 5 %, 10 %,
    /// 5 %, 10 %, 5 %: within the band 3 (first, third, fifth), within their own tolerance 4 (all but the GMV).
    /// </summary>
    private static List<CalibrationRow> Five() =>
    [
        Row(CalibrationMetric.OnlineShoppers, "all", new DateOnly(2019, 3, 31), 100, 105, 0.05),
        Row(CalibrationMetric.AnnualActive, "jd", new DateOnly(2019, 6, 30), 200, 180, 0.1),
        Row(CalibrationMetric.AnnualActive, "jd", new DateOnly(2019, 9, 30), 200, 204, 0.05),
        Row(CalibrationMetric.Gmv, "pdd", new DateOnly(2019, 12, 31), 1000, 1300, 0.1, new DateOnly(2019, 1, 1)),
        Row(CalibrationMetric.AnnualActive, "pdd", new DateOnly(2019, 2, 28), 50, 48, 0.05),
    ];

    [Fact]
    public void Counts_Dates_AndWorstError_FollowTheRows()
    {
        var s = new CalibrationSummary(Five(), "cal.yaml");
        Assert.Equal(5, s.Rows.Count);
        Assert.Equal(4, s.WithinTolerance);
        Assert.Equal(3, s.WithinBand);
        Assert.Equal(new DateOnly(2019, 2, 28), s.FirstDate);
        Assert.Equal(new DateOnly(2019, 12, 31), s.LastDate);
        Assert.Equal(0.3, s.WorstError!.Value, 15);
        Assert.Equal("cal.yaml", s.FittedBy);
    }

    [Fact]
    public void WorstError_IsTheLargestInMagnitude_UndershootingIncluded()
    {
        var rows = Five();
        var s = new CalibrationSummary([rows[1], rows[2], rows[4]]);   // −10 %, +2 %, −4 %
        Assert.Equal(0.1, s.WorstError!.Value, 15);
        Assert.Equal(2, s.WithinBand);         // +2 % and −4 %: the band is symmetric, −10 % is outside it
        Assert.Equal(3, s.WithinTolerance);
    }

    [Fact]
    public void Beyond_IsAfterTheLastTarget_OrAnywhereWithoutTargets()
    {
        var s = new CalibrationSummary(Five());
        Assert.False(s.Beyond(new DateOnly(2019, 12, 31)));   // the last target's date itself is covered
        Assert.True(s.Beyond(new DateOnly(2020, 1, 1)));
        Assert.False(s.Beyond(new DateOnly(2019, 1, 1)));     // before the first target is not "beyond"
        var none = new CalibrationSummary([]);
        Assert.True(none.Beyond(new DateOnly(2019, 1, 1)));
        Assert.Null(none.LastDate);
        Assert.Null(none.FirstDate);
        Assert.Null(none.WorstError);
        Assert.Equal((0, 0), (none.WithinTolerance, none.WithinBand));
        Assert.Equal("", new CalibrationSummary([], null!).FittedBy);
        Assert.Throws<ArgumentNullException>(() => new CalibrationSummary(null!));
    }

    [Fact]
    public void Sentences_StateTheCountsKindsDatesAndWhatIsNotCovered()
    {
        var fitted = new CalibrationSummary(Five(), "scenarios/calibration/default.yaml").Sentences(Name);
        Assert.Equal(
        [
            "Calibration targets: 5 published figures (online shoppers, JD.com annual-active users, Pinduoduo GMV, Pinduoduo annual-active users) " +
            "dated 28 Feb 2019 to 31 Dec 2019; within ±5 %: 3; within their own tolerance: 4 of 5; largest error 30 %.",
            "Some parameters are fitted to these figures by `marketsim calibrate scenarios/calibration/default.yaml` (the scenario marks them; " +
            "docs/calibration.md says which figures were fitted and which held out); the others are set by hand from published figures or are assumptions.",
            "Not covered by any target: everything after 31 Dec 2019 (the model extrapolates), supplied GMV, tier splits, primary shares and switching. " +
            "Read those as the model's logic at work, not as measured levels.",
        ], fitted);
        var byHand = new CalibrationSummary(Five()).Sentences(Name);
        Assert.Equal(fitted[0], byHand[0]);
        Assert.Equal("Nothing in the model is fitted to these figures yet: its parameters are set by hand, and the targets only check the result " +
            "(`marketsim calibrate` fits them: docs/calibration.md).", byHand[1]);
        Assert.Throws<ArgumentNullException>(() => new CalibrationSummary(Five()).Sentences(null!));
    }

    [Theory]
    [InlineData(CalibrationMetric.AnnualActive, "GMV, supplied GMV, tier splits, primary shares and switching")]
    [InlineData(CalibrationMetric.SpendPerBuyer, "supplied GMV, tier splits, primary shares and switching")]
    [InlineData(CalibrationMetric.UsersShare, "GMV, supplied GMV, primary shares and switching")]
    [InlineData(CalibrationMetric.GmvShare, "GMV, supplied GMV, primary shares and switching")]
    [InlineData(CalibrationMetric.NewCustomersShare, "GMV, supplied GMV, primary shares and switching")]
    [InlineData(CalibrationMetric.Overlap, "GMV, supplied GMV, tier splits, primary shares and switching")]
    public void Sentences_NameWhatTheTargetsLeaveOut(string metric, string missing)
    {
        // One row, 12.3 % over: the worst error keeps one decimal.
        var row = Row(metric, "jd", new DateOnly(2020, 3, 31), 1000, 1123, 0.1, CalibrationMetric.IsFlow(metric) ? new DateOnly(2019, 4, 1) : null, "t3");
        var sentences = new CalibrationSummary([row]).Sentences(Name);
        Assert.EndsWith("dated 31 Mar 2020 to 31 Mar 2020; within ±5 %: 0; within their own tolerance: 0 of 1; largest error 12.3 %.", sentences[0]);
        Assert.Equal($"Not covered by any target: everything after 31 Mar 2020 (the model extrapolates), {missing}. " +
            "Read those as the model's logic at work, not as measured levels.", sentences[2]);
    }

    [Fact]
    public void Sentences_WithoutRows_SayNothingIsChecked()
    {
        const string none = "Calibration targets: none. No figure of this run is checked against a published figure: treat every level as illustrative.";
        Assert.Equal(
        [
            none,
            "Some parameters are fitted by `marketsim calibrate cal.yaml` (docs/calibration.md); this run has no target to check them against.",
        ], new CalibrationSummary([], "cal.yaml").Sentences(Name));
        Assert.Equal(
        [
            none,
            "Nothing in the model is fitted to data yet: its parameters are set by hand from published figures (scenarios/data/SOURCES.md).",
        ], new CalibrationSummary([]).Sentences(Name));
    }
}
