using MarketSim.Compare;
using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Tests;

/// <summary>
/// Issue 29, items 1 and 4: the report's text defects (literal asterisks in HTML, ranges in mixed units, zero-width
/// intervals on a handful of agents, R = 2, "−0.00" labels, primary share in two units) and the calendar differences
/// between the arms with the caution when one is not the scenario's own.
/// </summary>
public class ReportTextTests(DefaultComparisonFixture fixture) : IClassFixture<DefaultComparisonFixture>
{
    [Fact]
    public void Html_HasNoLiteralMarkdownAsterisks_ItalicsAreEmphasis()
    {
        string html = fixture.Result.Report.Html;
        Assert.Contains("<em>How far to trust this:</em>", html, StringComparison.Ordinal);
        // Outside the inline images (base64 has no '*'), no asterisk is left for a reader to see.
        Assert.DoesNotContain("*", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrimaryShare_IsAFraction_InComparisonParquetAsInMetricsParquet()
    {
        var (rows, meta) = await ComparisonFile.ReadAsync(Path.Combine(fixture.Folder, ComparisonFile.FileName));
        var shares = rows.Where(r => r.Metric == "primary_share").ToList();
        Assert.All(shares, r => Assert.Equal("fraction", r.Unit));
        Assert.All(shares, r => Assert.InRange(r.ScenarioMean, 0, 1));
        // The shares of all platforms in a tier add up to at most 1 (every shopper has at most one primary platform).
        var step = shares.Where(r => r.Step == 40 && r.Tier == "t3").Sum(r => r.BaselineMean);
        Assert.InRange(step, 0.5, 1 + 1e-9);
        Assert.Equal("2", meta["marketsim.schema_version"]);
        Assert.Contains("primary_share: a fraction 0..1 as in metrics.parquet", meta["marketsim.units"], StringComparison.Ordinal);
    }

    [Fact]
    public void FirstScreen_ListsTheCalendarDifferences_AndFlagsTheUnownedFestival()
    {
        string md = fixture.Result.Report.Markdown;
        string first = md[..md.IndexOf("## ", StringComparison.Ordinal)];
        Assert.Contains("**Calendar differences between the arms**", first, StringComparison.Ordinal);
        // The alliance scenario's 616 is the alliance's launch (issue 27 item 5): listed with its owner, no caution.
        Assert.Contains("- Festival Kuaishou 616 (16 Jun 2020, window 3 days before), in the scenario only: launched by alliance " +
                        "JD.com–Kuaishou alliance (its clause `alliances.jd-kuaishou.launch`): the what-if.", first, StringComparison.Ordinal);
        Assert.Contains("- Alliance JD.com–Kuaishou alliance from 27 May 2020, in the scenario only: the what-if.", first, StringComparison.Ordinal);
        Assert.DoesNotContain("**Caution: every difference below includes", first, StringComparison.Ordinal);
        // A chart above the fold: the all-tier and per-tier differences over time come before the first section.
        Assert.Contains("](annual_active_difference.png)", first, StringComparison.Ordinal);
        Assert.Contains("](annual_active_difference_by_tier.png)", first, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(fixture.Folder, "annual_active_difference_by_tier.png")));

        // The same festival neither launched nor marked what_if rides along unowned: the first screen says so.
        var plan = fixture.Result.Plan;
        var scenario = plan.LoadFresh(Arm.Scenario, 0);
        scenario.Alliances["jd-kuaishou"].Launch = null;
        scenario.Calendar.Festivals["kuaishou_616"].WhatIf = null;
        var changes = ScenarioChanges.Between(scenario, plan.Baseline);
        var r = fixture.Result;
        var report = CompareReport.Build(r.Table, r.Totals, r.Manifest, changes, [], "s.yaml", "b.yaml", charts: false);
        string unowned = report.Markdown[..report.Markdown.IndexOf("## ", StringComparison.Ordinal)];
        Assert.Contains("- Festival Kuaishou 616 (16 Jun 2020, window 3 days before), in the scenario only: **not part of the what-if**", unowned, StringComparison.Ordinal);
        Assert.Contains("**Caution: every difference below includes the effect of Kuaishou 616", unowned, StringComparison.Ordinal);
        Assert.NotNull(report.Headline!.Caution);
    }

    [Fact]
    public void CalendarDifferences_FestivalMarkedWhatIf_IsOwned_AndNoCautionFollows()
    {
        var plan = fixture.Result.Plan;
        var scenario = plan.LoadFresh(Arm.Scenario, 0);
        scenario.Calendar.Festivals["kuaishou_616"].WhatIf = true;
        var changes = ScenarioChanges.Between(scenario, plan.Baseline);
        Assert.All(changes.Calendar!, c => Assert.True(c.Owned));
        Assert.Empty(changes.Unowned);
        var r = fixture.Result;
        var report = CompareReport.Build(r.Table, r.Totals, r.Manifest, changes, [], "s.yaml", "b.yaml", charts: false);
        Assert.DoesNotContain("**Caution: every difference below includes", report.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("calendar event", report.Headline!.Caution ?? "", StringComparison.Ordinal);

        // A festival the scenario removes and one it sets differently are listed too.
        var other = plan.LoadFresh(Arm.Scenario, 0);
        other.Calendar.Festivals.Remove("double_12");
        other.Calendar.Festivals["618"].SpendMultiplier = 1.9;
        var listed = ScenarioChanges.Between(other, plan.Baseline).Calendar!;
        Assert.Contains(listed, c => c.Id == "double_12" && c.Text.EndsWith("in the baseline only", StringComparison.Ordinal) && !c.Owned);
        Assert.Contains(listed, c => c.Id == "618" && c.Text.Contains("set differently in the baseline", StringComparison.Ordinal) && !c.Owned);
    }

    [Fact]
    public void Difference_OfThreeAgentsIdenticalInBothReplications_IsWarned_AsIsRTwo()
    {
        // Two replications in which the scenario has exactly three more annual-active agents on platform B from step 1:
        // a zero-width interval that calls the difference significant.
        var dims = new ModelDimensions(["t1"], ["Tier 1"], ["a", "b"], ["A", "B"], ["#000000", "#ffffff"], 1000, 7);
        var dates = Enumerable.Range(0, 4).Select(k => new DateOnly(2020, 1, 6).AddDays(7 * k)).ToArray();
        StepMetrics Slice(int extra)
        {
            // One tier of 1 000 agents: A 600 annual-active and primary, B 300 (+ extra), GMV 1 000 and 500 fen.
            var m = new StepMetrics(1, 2);
            m.Consumers[0] = 1000;
            (m.AnnualActive[0], m.AnnualActive[1]) = (600, 300 + extra);
            (m.Primary[0], m.Primary[1]) = (600, 300);
            (m.GmvFen[0], m.GmvFen[1]) = (1000, 500);
            return m;
        }
        ArmRun Arm(bool scenario) => new(1000, dates.Select((_, k) => Slice(scenario && k > 0 ? 3 : 0)).ToArray(), []);
        var runs = new CompareRuns(dims, dates, [[Arm(true), Arm(false)], [Arm(true), Arm(false)]], 0, 0);
        var table = ComparisonTable.Compute(runs);
        var totals = TotalsTable.Compute(runs, table.FirstDifferentStep);
        var manifest = new CompareManifest("s", "b", new string('0', 64), new string('1', 64), "", "", [1UL, 2UL], 1000, 1000, 1000, "test");
        var report = CompareReport.Build(table, totals, manifest, ScenarioChanges.None, [], "s.yaml", "b.yaml", charts: false);

        string first = report.Markdown[..report.Markdown.IndexOf("## ", StringComparison.Ordinal)];
        Assert.Contains("**Caution:** B's difference rests on about 3 agents per run (one agent stands for 1,000 people) and is the same in every replication, so its interval has zero width", first, StringComparison.Ordinal);
        Assert.Contains("with 2 replications each interval rests on one degree of freedom", first, StringComparison.Ordinal);
        Assert.Contains("rests on about 3 agents per run", report.Headline!.Caution, StringComparison.Ordinal);
    }
}
