using MarketSim.Output;
using Parquet;

namespace MarketSim.Tests;

/// <summary>The one-shot table helper: what it writes, it reads back by the same definition, in row groups as asked.</summary>
public sealed class OneShotTableTests
{
    private static readonly OneShotTable<(int N, string Name, double? X, DateOnly Day)> Table =
        new OneShotTable<(int N, string Name, double? X, DateOnly Day)>()
            .IntColumn("n", r => r.N)
            .StringColumn("name", r => r.Name)
            .NullableDoubleColumn("x", r => r.X)
            .DateColumn("day", r => r.Day)
            .NullableStringColumn("note", r => r.X is null ? null : "has x");

    private static readonly (int N, string Name, double? X, DateOnly Day)[] Rows =
        [.. Enumerable.Range(0, 7).Select(i => (i, $"r{i}", i % 3 == 0 ? (double?)null : i * 0.5, new DateOnly(2020, 1, 1).AddDays(i)))];

    [Fact]
    public async Task WriteThenRead_EveryColumn_RoundTripsWithNullsAndMetadata()
    {
        using var tmp = new TempFolder();
        string path = Path.Combine(tmp.Root, "t.parquet");

        await Table.WriteAsync(path, Rows, new Dictionary<string, string> { ["k"] = "v" });
        var t = await Table.ReadAsync(path);

        Assert.Equal(7, t.Rows);
        Assert.Equal(Rows.Select(r => r.N), t.Get<int>("n"));
        Assert.Equal(Rows.Select(r => r.Name), t.Get<string?>("name"));
        Assert.Equal(Rows.Select(r => r.X), t.Get<double?>("x"));
        Assert.Equal(Rows.Select(r => r.Day), t.Get<DateOnly>("day"));
        Assert.Equal(Rows.Select(r => r.X is null ? null : "has x"), t.Get<string?>("note"));
        Assert.Equal("v", t.Metadata["k"]);
        Assert.False(File.Exists(Path.Combine(tmp.Root, ".t.parquet.tmp")), "temporary file left behind");
    }

    [Fact]
    public async Task Write_RowsPerGroup_SplitsIntoGroupsAndReadsThemInOrder()
    {
        using var tmp = new TempFolder();
        string path = Path.Combine(tmp.Root, "g.parquet");

        await Table.WriteAsync(path, Rows, new Dictionary<string, string>(), rowsPerGroup: 3);

        await using (var reader = await ParquetReader.CreateAsync(path))
            Assert.Equal(3, reader.RowGroupCount);   // 3 + 3 + 1
        Assert.Equal(Rows.Select(r => r.N), (await Table.ReadAsync(path)).Get<int>("n"));
    }
}
