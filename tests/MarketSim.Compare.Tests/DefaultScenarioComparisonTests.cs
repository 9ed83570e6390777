using MarketSim.Compare;

namespace MarketSim.Tests;

/// <summary>Acceptance of issue 5 on the shipped alliance scenario, run small.</summary>
public class DefaultScenarioComparisonTests(DefaultComparisonFixture fixture) : IClassFixture<DefaultComparisonFixture>
{
    private static readonly DateOnly AllianceStart = new(2020, 5, 27);

    [Fact]
    public void Compare_DefaultAlliance_WritesParquetReportsChartsAndSuccessMarker()
    {
        foreach (var name in new[] { "comparison.parquet", "report.md", "report.html", "compare.json", "_SUCCESS",
                     "totals.parquet", "replications.parquet", "annual_active_difference.png", "annual_active_difference_by_tier.png", "primary_share_difference.png", "difference_by_tier.png", "net_switching.png" })
            Assert.True(File.Exists(Path.Combine(fixture.Folder, name)), $"{name} is missing");
        Assert.Empty(Directory.GetFiles(fixture.Folder, ".*"));
    }

    [Fact]
    public async Task ComparisonParquet_BeforeTheAllianceStarts_EveryDifferenceIsExactlyZero()
    {
        var (rows, _) = await ComparisonFile.ReadAsync(Path.Combine(fixture.Folder, "comparison.parquet"));
        var before = rows.Where(r => r.Date < AllianceStart).ToList();
        Assert.NotEmpty(before);
        foreach (var r in before)
        {
            Assert.Equal(0.0, r.MeanDifference);
            Assert.Equal(r.BaselineMean, r.ScenarioMean);
            Assert.Equal(0.0, r.SdDifference);
            Assert.Equal(0.0, r.CiLow);
            Assert.Equal(0.0, r.CiHigh);
            Assert.False(r.Significant);
        }
        // ... and the alliance does change something afterwards: JD's annual-active users in the lower tiers.
        var after = rows.Where(r => r.Date >= AllianceStart && r.Metric == "annual_active" && r.Platform == "jd" && r.Tier == "all");
        Assert.Contains(after, r => r.MeanDifference != 0);
        Assert.Equal(new DateOnly(2020, 6, 1), fixture.Result.Table.Dates[fixture.Result.Table.FirstDifferentStep!.Value]);
    }

    [Fact]
    public async Task ComparisonParquet_SchemaRowsAndMetadata_AreAsDocumented()
    {
        var path = Path.Combine(fixture.Folder, "comparison.parquet");
        var (rows, meta) = await ComparisonFile.ReadAsync(path);
        var table = fixture.Result.Table;
        // 80 steps × (4 metrics × 7 tiers × 6 platforms + 2 flow metrics × 7 tiers × 30 ordered pairs)
        Assert.Equal(80 * (4 * 7 * 6 + 2 * 7 * 30), rows.Count);
        Assert.Equal(table.Rows, rows.Count);
        Assert.Equal(["annual_active", "primary_share", "gmv", "supplied_gmv", "net_flow", "cumulative_net_flow"], rows.Select(r => r.Metric).Distinct());
        Assert.Equal(["fraction", "people", "yuan"], rows.Select(r => r.Unit).Distinct().Order());
        Assert.All(rows.Where(r => r.Metric is "net_flow" or "cumulative_net_flow"), r => Assert.NotNull(r.Counterpart));
        Assert.All(rows.Where(r => r.Metric is not ("net_flow" or "cumulative_net_flow")), r => Assert.Null(r.Counterpart));
        Assert.All(rows, r => Assert.True(double.IsFinite(r.MeanDifference) && double.IsFinite(r.CiLow!.Value) && double.IsFinite(r.CiHigh!.Value)));
        Assert.Equal("jd-kuaishou-alliance", meta["marketsim.scenario_name"]);
        Assert.Equal("baseline", meta["marketsim.baseline_name"]);
        Assert.Equal(fixture.Result.Plan.ScenarioLoad.Sha256, meta["marketsim.scenario_sha256"]);
        Assert.Equal(fixture.Result.Plan.BaselineLoad.Sha256, meta["marketsim.baseline_sha256"]);
        Assert.Equal("3", meta["marketsim.replications"]);
        Assert.Equal("10000", meta["marketsim.agents"]);
        Assert.Equal(string.Join(",", fixture.Result.Plan.Seeds), meta["marketsim.seeds"]);
        Assert.Equal("20200527", meta["marketsim.seeds"].Split(',')[0]);
        Assert.Equal("2020-06-01", meta["marketsim.first_difference_date"]);
        // Net flows are antisymmetric: what JD gains from Pinduoduo, Pinduoduo loses to JD.
        int k = table.Dates.Length - 1, jd = 1, pdd = 2;
        Assert.Equal(table.MeanDifference[table.Row(k, CompareMetric.CumulativeNetFlow, table.AllTiers, jd, pdd)],
            -table.MeanDifference[table.Row(k, CompareMetric.CumulativeNetFlow, table.AllTiers, pdd, jd)]);
    }

    [Fact]
    public void Report_StatesScenarioBaselineSeedsReplicationsAgentsAndVersion()
    {
        string md = File.ReadAllText(Path.Combine(fixture.Folder, "report.md"));
        string html = File.ReadAllText(Path.Combine(fixture.Folder, "report.html"));
        var m = fixture.Result.Manifest;
        foreach (var text in new[] { md, html })
        {
            Assert.Contains("jd-kuaishou-alliance", text);
            Assert.Contains("baseline", text);
            Assert.Contains(m.ScenarioSha256[..16], text);
            Assert.Contains(m.BaselineSha256[..16], text);
            foreach (var seed in m.Seeds) Assert.Contains(seed.ToString(), text);
            Assert.Contains("10,000", text);
            Assert.Contains("Program version", text);
            Assert.Contains("test", text);
        }
        Assert.Contains("| Replications | 3,", md);
        Assert.Contains("Who gains and who loses", md);
        Assert.Contains("From whom", md);
        Assert.Contains("How fast", md);
    }

    [Fact]
    public void ReportHtml_IsSelfContained_ChartsInlineNoExternalReferences()
    {
        string html = File.ReadAllText(Path.Combine(fixture.Folder, "report.html"));
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Matches(html, "<img [^>]*src=\"data:image/png;base64,").Count);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("<style>", html);
        // The Markdown report points at the PNG files beside it.
        string md = File.ReadAllText(Path.Combine(fixture.Folder, "report.md"));
        Assert.Contains("](annual_active_difference.png)", md);
    }

    [Fact]
    public async Task Headline_RecomputedFromParquetAndFromFreshRuns_MatchesTheReport()
    {
        var headline = fixture.Result.Report.Headline!;
        string md = File.ReadAllText(Path.Combine(fixture.Folder, "report.md"));
        Assert.Contains(headline.Text, md);

        // 1. From comparison.parquet, read back.
        var (rows, _) = await ComparisonFile.ReadAsync(Path.Combine(fixture.Folder, "comparison.parquet"));
        var row = rows.Single(r => r.Step == headline.Step && r.Metric == "annual_active" && r.Tier == "all" && r.Platform == headline.Platform);
        Assert.Equal(headline.Mean, row.MeanDifference);
        Assert.Equal(headline.Text, CompareReport.FormatPeople(row.MeanDifference));
        // It is the largest significant annual-active difference at the last step, the report's first sentence.
        var last = rows.Where(r => r.Step == headline.Step && r.Metric == "annual_active" && r.Tier == "all" && r.Significant == true).ToList();
        Assert.Equal(last.Max(r => Math.Abs(r.MeanDifference)), Math.Abs(row.MeanDifference));
        Assert.Contains($"{headline.PlatformName} {(headline.Mean > 0 ? "gains" : "loses")} {CompareReport.FormatPeople(Math.Abs(headline.Mean)).TrimStart('+')}", md);

        // 2. From the raw runs: simulate both arms again for each replication's seed and average the differences directly.
        var plan = fixture.Result.Plan;
        int p = Array.IndexOf(plan.Scenario.Platforms.Keys.ToArray(), headline.Platform);
        var differences = new List<double>();
        foreach (var seed in plan.Seeds)
        {
            var o = new Dictionary<string, string>(DefaultComparisonFixture.Overrides) { ["seed"] = seed.ToString() };
            double People(string file)
            {
                var steps = Compare.Simulate(file, o);
                var m = steps[headline.Step];
                var loaded = MarketSim.ScenarioFiles.ScenarioLoader.Load(file, o);
                double ppa = new MarketSim.Model.MarketModel(loaded.Scenario!).PeoplePerAgent;
                long agents = 0;
                for (int t = 0; t < m.Tiers; t++) agents += m.AnnualActive[m.At(t, p)];
                return agents * ppa;
            }
            differences.Add(People(Compare.Scenario("jd-kuaishou-alliance.yaml")) - People(Compare.Scenario("baseline.yaml")));
        }
        double direct = differences.Sum() / differences.Count;
        Assert.Equal(direct, row.MeanDifference, 1e-9 * Math.Abs(direct));
        Assert.Equal(headline.Text, CompareReport.FormatPeople(direct));
    }
}
