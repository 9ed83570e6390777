using MarketSim.Charts;
using MarketSim.Compare;
using MarketSim.Model;

namespace MarketSim.Tests;

/// <summary>Issue 15: totals and supplied GMV, the sign-aware course, one number format, trust labels, the baseline's calendar.</summary>
public class TotalsAndReportTests(DefaultComparisonFixture fixture) : IClassFixture<DefaultComparisonFixture>
{
    [Fact]
    public void Totals_SinceFirstDifference_EqualTheSumOfThePerStepDifferences()
    {
        var t = fixture.Result.Table;
        var totals = fixture.Result.Totals;
        int s0 = t.FirstDifferentStep!.Value;
        int period = totals.PeriodIndex(TotalPeriod.SinceFirstDifference);
        Assert.Equal(s0, totals.Periods[period].FirstStep);
        foreach (var (metric, perStep) in new[] { (CompareMetric.Gmv, CompareMetric.Gmv), (CompareMetric.SuppliedGmv, CompareMetric.SuppliedGmv) })
            for (int p = 0; p < t.Dimensions.Platforms; p++)
            {
                double sum = 0;
                for (int k = s0; k < t.Dates.Length; k++) sum += t.MeanDifference[t.Row(k, perStep, t.AllTiers, p)];
                double total = totals.MeanDifference[totals.Row(period, metric, totals.AllTiers, p)];
                Assert.Equal(sum, total, Math.Max(1e-6, 1e-9 * Math.Abs(sum)));
            }
    }

    [Fact]
    public void Totals_JdSuppliesGoodsThroughKuaishou_OnlyInTheScenario_AndYearsBeforeTheAllianceAreExactlyZero()
    {
        var totals = fixture.Result.Totals;
        int period = totals.PeriodIndex(TotalPeriod.SinceFirstDifference), jd = 1, kuaishou = 3;
        int row = totals.Row(period, CompareMetric.SuppliedGmv, totals.AllTiers, jd);
        Assert.Equal(0, totals.BaselineTotal[row]);
        Assert.True(totals.ScenarioTotal[row] > 0 && totals.Significant[row] == true);
        Assert.Equal(0, totals.ScenarioTotal[totals.Row(period, CompareMetric.SuppliedGmv, totals.AllTiers, kuaishou)]);
        // Tiers add up to all tiers.
        double tiers = Enumerable.Range(0, totals.Dimensions.Tiers).Sum(tier => totals.MeanDifference[totals.Row(period, CompareMetric.NewUsers, tier, kuaishou)]);
        Assert.Equal(tiers, totals.MeanDifference[totals.Row(period, CompareMetric.NewUsers, totals.AllTiers, kuaishou)], 1e-6);
        int y2019 = totals.PeriodIndex("2019");
        for (int i = totals.Row(y2019, CompareMetric.Totals[0], 0, 0); i < totals.Row(y2019 + 1, CompareMetric.Totals[0], 0, 0); i++)
        {
            Assert.Equal(0, totals.MeanDifference[i]);
            Assert.Equal(false, totals.Significant[i]);
        }
    }

    [Fact]
    public async Task TotalsParquet_RoundTripsTheTable()
    {
        var totals = fixture.Result.Totals;
        var (rows, meta) = await TotalsFile.ReadAsync(Path.Combine(fixture.Folder, TotalsFile.FileName));
        Assert.Equal(totals.Rows, rows.Count);
        // 80 weekly steps from 31 Dec 2018: years 2018 (one step), 2019 and 2020, then the period since the first difference.
        Assert.Equal(["2018", "2019", "2020", TotalPeriod.SinceFirstDifference], rows.Select(r => r.Period).Distinct());
        Assert.Equal(["gmv", "supplied_gmv", "new_users", "churned_users", "switched_in", "switched_out"], rows.Select(r => r.Metric).Distinct());
        Assert.Equal("totals", meta["marketsim.kind"]);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(totals.MeanDifference[i], rows[i].MeanDifference);
            Assert.Equal(totals.CiLow[i], rows[i].CiLow);
        }
        var since = rows.First(r => r.Period == TotalPeriod.SinceFirstDifference);
        Assert.Equal(new DateOnly(2020, 6, 1), since.PeriodStart);
        // The steps from the one containing 1 June 2020 to the end of the 80.
        Assert.Equal(80 - (new DateOnly(2020, 6, 1).DayNumber - new DateOnly(2018, 12, 31).DayNumber) / 7, since.Steps);
    }

    [Fact]
    public void Report_LeadsWithYuanTotalsAndJdsSuppliedGmvThroughKuaishou()
    {
        string md = fixture.Result.Report.Markdown;
        var totals = fixture.Result.Totals;
        int period = totals.PeriodIndex(TotalPeriod.SinceFirstDifference);
        double supplied = totals.MeanDifference[totals.Row(period, CompareMetric.SuppliedGmv, totals.AllTiers, 1)];
        string lead = md[..md.IndexOf("## ", StringComparison.Ordinal)];
        Assert.Contains($"**JD.com supplies {ReportFormat.Yuan(supplied, signed: false)}", lead);
        Assert.Contains("of goods sold on Kuaishou", lead);
        Assert.Contains("Over the alliance's life in the run", lead);
        Assert.Contains("How far to trust this", lead);
        Assert.Contains("## Totals,", md);
        Assert.DoesNotContain("0.00 n.s.", md);
        Assert.DoesNotContain("0 (n.s.)", md);
    }

    [Fact]
    public void Report_TrustSection_CountsTargetsFromTheCalibrationRows()
    {
        var rows = fixture.Result.Runs.Get(0, Arm.Baseline).Calibration;
        Assert.NotEmpty(rows);
        var mean = CompareCalibration.Mean(fixture.Result.Runs, Arm.Baseline);
        int within = mean.Count(r => Math.Abs(r.RelativeError) <= 0.05);
        Assert.Contains($"{mean.Count} published figures", fixture.Result.Report.Markdown);
        Assert.Contains($"within ±5 %: {within};", fixture.Result.Report.Markdown);
        // The default baseline carries the default calibration's fitted values, and the report says so.
        Assert.Equal("calibration/default.yaml", fixture.Result.Plan.Baseline.FittedBy);
        Assert.Contains("Some parameters are fitted to these figures by `marketsim calibrate calibration/default.yaml`", fixture.Result.Report.Markdown);
        Assert.DoesNotContain("Nothing in the model is fitted", fixture.Result.Report.Markdown);
    }

    private static ComparisonTable Synthetic(double[] means, bool[] significant)
    {
        var dims = new ModelDimensions(["t1"], ["Tier 1"], ["a", "b"], ["A", "B"], ["#000000", "#ffffff"], 1, 7);
        var dates = Enumerable.Range(0, means.Length).Select(k => new DateOnly(2020, 1, 6).AddDays(7 * k)).ToArray();
        var empty = new ComparisonTable(dims, dates, 3) { FirstDifferentStep = 0 };
        for (int k = 0; k < means.Length; k++)
        {
            int row = empty.Row(k, CompareMetric.AnnualActive, empty.AllTiers, 0);
            empty.MeanDifference[row] = means[k];
            empty.Significant[row] = significant[k];
        }
        return empty;
    }


    [Fact]
    public void CourseOf_PositiveThenNegative_GivesTwoStretchesWithTheirDatesAndThePeak()
    {
        // +, + (sig), + (n.s.), − (sig), −7 (sig, the peak), −2 (n.s.)
        var t = Synthetic([1, 3, 0.5, -4, -7, -2], [false, true, false, true, true, false]);
        var c = CompareReport.CourseOf(t, CompareMetric.AnnualActive, 0, 0);
        Assert.Equal(1, c.FirstSignificant);
        Assert.Equal([new CompareReport.Stretch(1, 1, 1), new CompareReport.Stretch(-1, 3, 4)], c.Stretches);
        Assert.Equal(4, c.Peak);
    }

    [Fact]
    public void CourseOf_NeverSignificant_HasNoStretch()
    {
        var t = Synthetic([1, -3, 2], [false, false, false]);
        Assert.Null(CompareReport.CourseOf(t, CompareMetric.AnnualActive, 0, 0).FirstSignificant);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(812.4, "+812")]
    [InlineData(3538, "+3.54 thousand")]
    [InlineData(-6466, "\u22126.47 thousand")]
    [InlineData(782_800, "+783 thousand")]
    [InlineData(999_960, "+1.00 million")]
    [InlineData(11_430_000, "+11.4 million")]
    public void People_OneFormat(double v, string expected) => Assert.Equal(expected, ReportFormat.People(v));

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(197_054, "+197 thousand yuan")]
    [InlineData(-220_400_000, "\u2212220 million yuan")]
    [InlineData(47_200_000_000, "+47.2 billion yuan")]
    public void Yuan_OneFormat(double v, string expected) => Assert.Equal(expected, ReportFormat.Yuan(v));

    [Fact]
    public void Mark_ExactZeroIsNeverNotSignificant_AndRangesShareTheirUnit()
    {
        Assert.Equal("0", ReportFormat.Mark(ReportFormat.People(0), false));
        Assert.Equal("+3.54 thousand (n.s.)", ReportFormat.Mark(ReportFormat.People(3538), false));
        Assert.Equal("\u221213.2 to \u221210.5 billion yuan", ReportFormat.Range(-13.2e9, -10.5e9, yuan: true));
        Assert.Equal("\u22120.987 to +1.02 million", ReportFormat.Range(-987e3, 1.02e6, yuan: false));
        Assert.Equal("0 pp", ReportFormat.Pp(0));
    }
}

/// <summary>What the scenario changes, as the report and the chart markers read it.</summary>
public class ScenarioChangesTests
{
    [Fact]
    public void Between_DefaultAlliance_FindsTheAllianceItsSupplyAndTheCoPromotionWindows()
    {
        var plan = Compare.Plan(Compare.Scenario("jd-kuaishou-alliance.yaml"), 1, new() { ["population.agents"] = "1000" });
        var changes = ScenarioChanges.Between(plan.Scenario, plan.Baseline);
        var a = Assert.Single(changes.Alliances);
        Assert.Equal(new DateOnly(2020, 5, 27), a.Start);
        Assert.Equal([("kuaishou", "jd")], a.Supply!);
        // The scenario co-promotes the 2020 occurrences only (years: [2020]): 618 (17 lead days) from 1 June, Kuaishou 616
        // (3 lead days) from 13 June; the 618 of 2021, inside the run and the alliance, is not co-promoted.
        Assert.Equal([("618", new DateOnly(2020, 6, 1), new DateOnly(2020, 6, 18)), ("Kuaishou 616", new DateOnly(2020, 6, 13), new DateOnly(2020, 6, 16))],
            a.CoPromotedFestivals!.Select(f => (f.Name, f.From, f.Day)));
        Assert.False(a.EveryOccurrence);
        Assert.Empty(changes.Interventions);
        var events = changes.Events(id => id);
        Assert.Equal([new DateOnly(2020, 5, 27)], events.Select(e => e.Date));
        Assert.Equal("JD.com–Kuaishou alliance starts; 618 co-promotion; Kuaishou 616 co-promotion", events[0].Label);
    }

    [Fact]
    public void CoPromotionSentence_DefaultAlliance_NamesThe2020OccurrencesAndSaysTheyArePartOfTheEffect()
    {
        var plan = Compare.Plan(Compare.Scenario("jd-kuaishou-alliance.yaml"), 1, new() { ["population.agents"] = "1000" });
        var a = Assert.Single(ScenarioChanges.Between(plan.Scenario, plan.Baseline).Alliances);
        Assert.Equal("The JD.com–Kuaishou alliance co-promotes 2 festival occurrences in the run: 618 (1–18 Jun 2020) and " +
                     "Kuaishou 616 (13–16 Jun 2020). Part of its effect is these festivals' promotion of its members, not the sharing of goods, " +
                     "deliveries or traffic (`compare --attribute` separates the clauses).", CompareReport.CoPromotionSentence(a));
    }

    [Fact]
    public void CoPromotionSentence_EveryOccurrence_ListsEachYearInTheRunAndSaysSo()
    {
        // In a file: --set would reach the baseline too, which has no such alliance.
        string file = Path.Combine(Compare.NewTempFolder(), "every.yaml");
        File.WriteAllText(file, $"extends: {Compare.Scenario("jd-kuaishou-alliance.yaml")}\nname: every-618\n" +
                                "alliances: {jd-kuaishou: {co_promotion: {years: ~, festivals: [\"618\"], every_occurrence: true}}}\n");
        var plan = Compare.Plan(file, 1, new() { ["population.agents"] = "1000" }, baseline: Compare.Scenario("baseline.yaml"));
        var a = Assert.Single(ScenarioChanges.Between(plan.Scenario, plan.Baseline).Alliances);
        Assert.True(a.EveryOccurrence);
        // The run ends on 2 January 2022: the 618 of 2020 and of 2021.
        Assert.Equal([new DateOnly(2020, 6, 18), new DateOnly(2021, 6, 18)], a.CoPromotedFestivals!.Select(f => f.Day));
        Assert.Contains("co-promotes 2 festival occurrences in the run (every occurrence while it runs): 618 (1–18 Jun 2020) and 618 (1–18 Jun 2021).",
            CompareReport.CoPromotionSentence(a));
        Assert.Null(CompareReport.CoPromotionSentence(a with { CoPromotedFestivals = [] }));
    }

    [Fact]
    public void Plan_ScenarioRunningLonger_GivesTheBaselineItsCalendar()
    {
        string file = Path.Combine(Compare.NewTempFolder(), "long.yaml");
        File.WriteAllText(file, $"extends: {Compare.Scenario("jd-kuaishou-alliance.yaml")}\nname: long-alliance\ncalendar: {{start: {Compare.ShortStart}, steps: 170}}\n");
        var plan = Compare.Plan(file, 2, new() { ["population.agents"] = "1000" }, baseline: Compare.Scenario("baseline.yaml"));
        Assert.Equal(170, plan.Baseline.Calendar.Steps);
        Assert.Equal(170, plan.LoadArm(Arm.Baseline, 1).Calendar.Steps);
        Assert.Equal(plan.Scenario.Calendar.Start, plan.Baseline.Calendar.Start);
    }
}
