using MarketSim.Engine;
using MarketSim.Output;
using Parquet;

namespace MarketSim.Tests;

/// <summary>
/// The catalogue of metrics.parquet's columns is the one list: the file's columns, the reader and docs/output.md follow
/// it, so a column added to the catalogue appears in all three or a test says where it is missing.
/// </summary>
public sealed class MetricColumnsTests
{
    private static readonly string[] Keys = ["step", "date", "tier", "platform"];

    [Fact]
    public void Catalogue_IndexIsPositionAndNamesAreUnique()
    {
        for (int i = 0; i < MetricColumns.All.Count; i++) Assert.Equal(i, MetricColumns.All[i].Index);
        Assert.Equal(MetricColumns.All.Count, MetricColumns.All.Select(c => c.Name).Distinct().Count());
        Assert.All(MetricColumns.All.Where(c => c.Of is not null), c => Assert.Equal(MetricUnit.Fraction, c.Unit));
    }

    [Fact]
    public async Task MetricsParquet_Columns_AreTheKeysThenTheCatalogueInOrder()
    {
        using var tmp = new TempFolder();
        await TestRuns.WriteAsync(tmp.Run(), steps: 2);

        await using var stream = File.OpenRead(Path.Combine(tmp.Run(), "metrics.parquet"));
        await using var reader = await ParquetReader.CreateAsync(stream);

        Assert.Equal(Keys.Concat(MetricColumns.All.Select(c => c.Name)), reader.Schema.GetDataFields().Select(f => f.Name));
    }

    [Fact]
    public async Task Reader_EveryCatalogueColumn_ReadsWhatTheColumnComputes()
    {
        using var tmp = new TempFolder();
        await TestRuns.WriteAsync(tmp.Run(), steps: 3);

        var rows = await RunOutputReader.ReadMetricsAsync(tmp.Run());

        int r = 0;
        for (int s = 0; s < 3; s++)
        {
            var m = TestRuns.Step(s);
            for (int t = 0; t < 2; t++)
                for (int k = 0; k < 3; k++, r++)
                    foreach (var column in MetricColumns.All)
                        Assert.Equal(column.Value(m, t, k, TestRuns.PeoplePerAgent), rows[r][column]);
        }
    }

    [Fact]
    public void Scale_PeopleYuanAndShares_ByHand()
    {
        // 4 agents of 2.5 people; 250 fen per agent of 2.5 people = 6.25 yuan; an empty denominator gives 0, not NaN.
        Assert.Equal(10.0, MetricScale.People(4, 2.5));
        Assert.Equal(6.25, MetricScale.Yuan(250, 2.5));
        Assert.Equal(6.25, MetricScale.YuanScaledFirst(250, 2.5));
        Assert.Equal(0.25, MetricScale.Ratio(1, 4));
        Assert.Equal(0.0, MetricScale.Ratio(1, 0));
        Assert.Equal(25.0, MetricScale.Percent(1, 4));
        Assert.Equal(6.25, MetricColumns.Gmv.Value(Fen(250), 0, 0, 2.5));
        Assert.Equal(2.5, MetricColumns.Orders.Value(Fen(250), 0, 0, 2.5));
    }

    private static StepMetrics Fen(long fen)
    {
        var m = new StepMetrics(1, 1);
        m.GmvFen[0] = fen;
        m.Orders[0] = 1;
        return m;
    }
}

/// <summary>docs/output.md's metrics.parquet table is the catalogue: every column, in order, with its unit and meaning.</summary>
public sealed class MetricColumnsDocsTests
{
    [Fact]
    public void OutputDoc_MetricsTable_ListsTheCatalogueWithUnitAndMeaning()
    {
        var lines = File.ReadAllLines(Path.Combine(MarketSimProcess.RepositoryRoot, "docs", "output.md"));
        int section = Array.IndexOf(lines, "## metrics.parquet");
        Assert.True(section >= 0, "docs/output.md has no '## metrics.parquet' section");
        var rows = lines.Skip(section + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|'))
            .Skip(2) // header and separator
            .Select(l => l.Trim('|').Split(" | ").Select(c => c.Trim()).ToArray())
            .Where(c => c[1] == "DOUBLE")
            .ToList();

        Assert.Equal(MetricColumns.All.Select(c => $"`{c.Name}`"), rows.Select(c => c[0]));
        foreach (var (column, cells) in MetricColumns.All.Zip(rows))
        {
            Assert.Equal(column.UnitName, cells[2]);
            Assert.Equal(column.Doc, cells[3]);
        }
    }
}
