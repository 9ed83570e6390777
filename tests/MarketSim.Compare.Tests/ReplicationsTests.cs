using MarketSim.Compare;

namespace MarketSim.Tests;

/// <summary>
/// replications.parquet: every value of comparison.parquet per replication, from which the statistics can be redone
/// (issue 29, item 10): one row per replication and key, difference = scenario − baseline, and the mean and sd over
/// replications equal to comparison.parquet's, recomputed here and by DuckDB.
/// </summary>
public class ReplicationsTests(DefaultComparisonFixture fixture) : IClassFixture<DefaultComparisonFixture>
{
    [Fact]
    public async Task ReplicationsParquet_MeanAndSdOverReplications_AreTheComparisonsStatistics()
    {
        var rows = await ReplicationsFile.ReadAsync(Path.Combine(fixture.Folder, ReplicationsFile.FileName));
        var table = fixture.Result.Table;
        Assert.Equal(table.Rows * DefaultComparisonFixture.Replications, rows.Count);
        Assert.Equal(Enumerable.Range(0, DefaultComparisonFixture.Replications), rows.Select(r => r.Replication).Distinct().Order());
        Assert.Equal(fixture.Result.Plan.Seeds, rows.GroupBy(r => r.Replication).OrderBy(g => g.Key).Select(g => g.First().Seed));

        // Rows come replication by replication in the table's row order, so row i of replication r is rows[r * Rows + i].
        int R = DefaultComparisonFixture.Replications, differing = 0;
        for (int i = 0; i < table.Rows; i++)
        {
            var d = Enumerable.Range(0, R).Select(r => rows[r * table.Rows + i]).ToArray();
            Assert.All(d, x => Assert.Equal(x.Scenario - x.Baseline, x.Difference));
            double mean = d.Average(x => x.Difference);
            Assert.Equal(table.MeanDifference[i], mean, 1e-9 * Math.Max(1, Math.Abs(mean)));
            double sd = Math.Sqrt(d.Sum(x => (x.Difference - mean) * (x.Difference - mean)) / (R - 1));
            Assert.Equal(table.SdDifference[i]!.Value, sd, 1e-9 * Math.Max(1, sd));
            if (d.Select(x => x.Scenario).Distinct().Count() > 1) differing++;
        }
        // The replications' levels differ from one another (independent seeds), or the file could be one replication repeated
        // (the differences are zero before the alliance, so they cannot show it).
        Assert.True(differing > table.Rows / 4, $"only {differing} of {table.Rows} levels differ between replications");
    }

    [NodeFact]
    public void ReplicationsParquet_DuckDb_RecomputesMeanAndSdOfComparisonParquet()
    {
        var check = NodeTools.Run(NodeTools.DuckDb, "replications-check.mjs", fixture.Folder);
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("all checks passed", check.Output, StringComparison.Ordinal);
    }
}
