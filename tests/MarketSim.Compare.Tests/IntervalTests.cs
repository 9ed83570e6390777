using MarketSim.Compare;

namespace MarketSim.Tests;

/// <summary>The intervals behave as intervals: they narrow with replications, vanish with one, and the file is reproducible.</summary>
public class IntervalTests
{
    // 5 000 agents for 30 steps of a scenario whose alliance starts in March 2019: 22 weeks of alliance in a short run.
    private static Dictionary<string, string> Tiny(int steps = 30) => Compare.Small(5_000, steps, cohortsPerTier: 128);

    private static readonly Lazy<string> EarlyAlliance = new(() =>
    {
        string file = Path.Combine(Compare.NewTempFolder(), "early-alliance.yaml");
        File.WriteAllText(file, $"extends: {Compare.Scenario("jd-kuaishou-alliance.yaml")}\nname: early-alliance\n" +
                                "alliances:\n  jd-kuaishou:\n    start: 2019-03-04\n" +
                                // The run ends in August 2019: co-promote that year's 618 (issue 13: occurrences are dated).
                                "    co_promotion: {festivals: [\"618\"], years: [2019]}\n");
        return file;
    });

    private static ComparePlan Plan(int replications, int steps = 30) =>
        Compare.Plan(EarlyAlliance.Value, replications, Tiny(steps), baseline: Compare.Scenario("baseline.yaml"));

    private static double MeanHalfWidthJdLowerTiers(ComparisonTable t)
    {
        int k = t.Dates.Length - 1, jd = 1;
        var widths = new[] { 2, 3, 4, 5 }.Select(tier =>
        {
            int row = t.Row(k, CompareMetric.AnnualActive, tier, jd);
            return (t.CiHigh[row]!.Value - t.CiLow[row]!.Value) / 2;
        }).ToList();
        return widths.Average();
    }

    [Fact]
    public void Intervals_TwelveReplicationsAgainstThree_AreNarrower()
    {
        var three = Compare.Run(Plan(3), charts: false).Table;
        var twelve = Compare.Run(Plan(12), charts: false).Table;
        double w3 = MeanHalfWidthJdLowerTiers(three), w12 = MeanHalfWidthJdLowerTiers(twelve);
        Assert.True(w3 > 0, "three replications gave zero-width intervals");
        // Expected ratio ≈ t(0.975, 11)/t(0.975, 2) × √(3/12) ≈ 0.26; allow the sample standard deviations to vary a lot.
        Assert.True(w12 < 0.75 * w3, $"half-width with 12 replications {w12:N0} is not clearly below that with 3 {w3:N0}");
        int row = three.Row(three.Dates.Length - 1, CompareMetric.AnnualActive, 5, 1);
        Assert.NotEqual(0, three.MeanDifference[row]);
    }

    [Fact]
    public async Task OneReplication_IntervalsAndSignificanceAreNullNotNaN_AndTheReportSaysSo()
    {
        var r = Compare.Run(Plan(1, 20), charts: false);
        Assert.All(r.Table.CiLow, v => Assert.Null(v));
        Assert.All(r.Table.Significant, v => Assert.Null(v));
        string folder = Compare.NewTempFolder();
        try
        {
            await Compare.PublishAsync(r, folder);
            var (rows, meta) = await ComparisonFile.ReadAsync(Path.Combine(folder, "comparison.parquet"));
            Assert.All(rows, x => Assert.True(x.SdDifference is null && x.CiLow is null && x.CiHigh is null && x.Significant is null));
            Assert.All(rows, x => Assert.True(double.IsFinite(x.MeanDifference)));
            Assert.Equal("1", meta["marketsim.replications"]);
            Assert.Contains("single replication", r.Report.Markdown);
            Assert.Contains("early-alliance", meta["marketsim.scenario_name"]);
            Assert.Equal("baseline", meta["marketsim.baseline_name"]);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public async Task ComparisonParquet_SameInputsDifferentThreadCounts_ByteIdentical()
    {
        var plan = Plan(2, 20);
        string a = Compare.NewTempFolder(), b = Compare.NewTempFolder();
        try
        {
            await Compare.PublishAsync(Compare.Run(plan, threads: 1, charts: false), a);
            await Compare.PublishAsync(Compare.Run(plan, threads: 2, charts: false), b);
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, "comparison.parquet")), File.ReadAllBytes(Path.Combine(b, "comparison.parquet")));
            Assert.Equal(File.ReadAllText(Path.Combine(a, "report.md")), File.ReadAllText(Path.Combine(b, "report.md")));
        }
        finally
        {
            Directory.Delete(a, recursive: true);
            Directory.Delete(b, recursive: true);
        }
    }

    [Fact]
    public void ReplicationSeeds_FirstIsTheScenarioSeed_OthersDistinctAndStable()
    {
        Assert.Equal(42UL, ComparePlan.ReplicationSeed(42, 0));
        var seeds = Enumerable.Range(0, 50).Select(r => ComparePlan.ReplicationSeed(42, r)).ToList();
        Assert.Equal(50, seeds.Distinct().Count());
        // Replication r > 0 uses SplitMix64's output function of seed + r; known answers from an independent
        // implementation of the reference splitmix64.c mixer (checked against its published seed-0 outputs).
        Assert.Equal(0x4F0A61D9C798D8CAUL, seeds[1]);
        Assert.Equal(0xFB2BF4996809BAF7UL, seeds[2]);
    }

    [Fact]
    public void HalfWidth_KnownStudentTQuantiles()
    {
        // t(0.975, 4) = 2.776445; sd 1, R = 5 → 2.776445 / √5.
        Assert.Equal(2.776445105 / Math.Sqrt(5), ComparisonTable.HalfWidth(5, 1), 6);
        Assert.Equal(12.7062047 / Math.Sqrt(2), ComparisonTable.HalfWidth(2, 1), 5);
    }
}
