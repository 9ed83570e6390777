using Parquet;
using Parquet.Schema;

namespace MarketSim.Tests;

/// <summary>A finished Saltelli sweep (2 parameters, base 2: 8 points) whose summary.parquet the tests damage.</summary>
public sealed class SaltelliSweepFixture
{
    public SaltelliSweepFixture()
    {
        string work = CliProcess.NewTempFolder();
        string sweep = Path.Combine(work, "salt.yaml");
        File.WriteAllText(sweep, $"name: salt\nscenario: {MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml")}\n" +
                                 "parameters:\n  behaviour.attention: {min: 0.005, max: 0.04}\n  behaviour.inertia: {min: 2.0, max: 4.0}\n" +
                                 "design: {type: saltelli, base: 2}\nreplications: 1\nagents: 1000\n" +
                                 "outputs:\n  metrics: false\n  flows: false\n  overlap: false\n" +
                                 "  jd_users: {metric: annual_active, platforms: [jd], at: end}\n");
        Folder = Path.Combine(work, "salt-out");
        var run = MarketSimProcess.Run(work, "sweep", sweep, "--out", Folder, "--set", "calendar.steps=20");
        if (run.ExitCode != 0) throw new InvalidOperationException("the fixture's sweep failed: " + run.StdErr);
        Summary = Path.Combine(Folder, "summary.parquet");
    }

    /// <summary>The sweep folder.</summary>
    public string Folder { get; }

    /// <summary>Its summary.parquet.</summary>
    public string Summary { get; }

    /// <summary>A new sweep folder holding <paramref name="bytes"/> as its summary.parquet.</summary>
    public static string FolderWith(byte[] bytes)
    {
        string folder = CliProcess.NewTempFolder();
        File.WriteAllBytes(Path.Combine(folder, "summary.parquet"), bytes);
        return folder;
    }
}

/// <summary>
/// <c>analyze</c> on damaged and foreign summary.parquet files: each is refused with exit 2 naming the file (and the
/// column or metadata at fault), never an internal error, and no analysis folder is written; the same table written by
/// DuckDB with MarketSim's metadata is read and analysed alike.
/// </summary>
public sealed class SummaryInputTests(SaltelliSweepFixture sweep) : IClassFixture<SaltelliSweepFixture>
{
    private static MarketSimProcess.Result Analyze(string folder) => MarketSimProcess.Run(folder, "analyze", folder);

    private static void AssertRefused(string folder, string expected)
    {
        var result = Analyze(folder);
        InputBoundaryTests.AssertRefusal(result, 2, expected);
        Assert.Contains(Path.Combine(folder, "summary.parquet"), result.StdErr.Replace("\n", ""));
        Assert.False(Directory.Exists(Path.Combine(folder, "analysis")), "nothing may be written for invalid input");
    }

    [Fact]
    public void Intact_Analysed()
    {
        string folder = SaltelliSweepFixture.FolderWith(File.ReadAllBytes(sweep.Summary));
        var result = Analyze(folder);
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.True(File.Exists(Path.Combine(folder, "analysis", "_SUCCESS")));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("footer")]
    [InlineData("footer-length")]
    [InlineData("text")]
    [InlineData("empty")]
    public void Damaged_RefusedAsNotReadableParquet(string damage)
    {
        var bytes = File.ReadAllBytes(sweep.Summary);
        bytes = damage switch
        {
            "truncated" => bytes[..(bytes.Length / 2)],
            // The footer (Thrift) lies just before its 4-byte length and the closing magic "PAR1": all of it damaged,
            // or its length claiming more than the file holds.
            "footer" => Flip(bytes, bytes.Length - 8 - BitConverter.ToInt32(bytes, bytes.Length - 8), BitConverter.ToInt32(bytes, bytes.Length - 8)),
            "footer-length" => [.. bytes[..^8], .. BitConverter.GetBytes(0x7FFFFFF0), .. "PAR1"u8],
            "text" => "period,value\n2020-01-01,1\n"u8.ToArray(),
            _ => [],
        };
        AssertRefused(SaltelliSweepFixture.FolderWith(bytes), "not a readable Parquet file");
    }

    private static byte[] Flip(byte[] bytes, int from, int count)
    {
        var copy = (byte[])bytes.Clone();
        for (int i = from; i < from + count; i++) copy[i] ^= 0x5A;
        return copy;
    }

    [Fact]
    public void Device_RefusedBeforeOpening()
    {
        string folder = CliProcess.NewTempFolder();
        File.CreateSymbolicLink(Path.Combine(folder, "summary.parquet"), "/dev/zero");
        AssertRefused(folder, "is a character device, expected a regular file");
    }

    [Fact]
    public async Task NoRowGroups_RefusedAsHavingNoRows()
    {
        string folder = CliProcess.NewTempFolder();
        await RewriteAsync(sweep.Summary, Path.Combine(folder, "summary.parquet"), (schema, meta) => (schema, meta));
        AssertRefused(folder, "has no rows");
    }

    [Fact]
    public async Task DuplicatedColumn_RefusedNamingIt()
    {
        string folder = CliProcess.NewTempFolder();
        await RewriteAsync(sweep.Summary, Path.Combine(folder, "summary.parquet"),
            (schema, meta) => (new ParquetSchema([.. schema.DataFields, new DataField<int>("point")]), meta));
        AssertRefused(folder, "column 'point': appears more than once");
    }

    /// <summary>The file's schema and metadata, changed, written again by Parquet.Net with no row group.</summary>
    private static async Task RewriteAsync(string source, string target,
        Func<ParquetSchema, Dictionary<string, string>, (ParquetSchema, Dictionary<string, string>)> change)
    {
        ParquetSchema schema;
        Dictionary<string, string> meta;
        await using (var reader = await ParquetReader.CreateAsync(source))
        {
            schema = reader.Schema;
            meta = new Dictionary<string, string>(reader.CustomMetadata);
        }
        var (newSchema, newMeta) = change(schema, meta);
        await using var stream = File.Create(target);
        await using var writer = await ParquetWriter.CreateAsync(newSchema, stream);
        writer.CustomMetadata = newMeta;
    }

    [NodeTheory]
    [InlineData("SELECT * FROM src", null, "key-value metadata marketsim.design missing")]
    [InlineData("SELECT * EXCLUDE (status) FROM src", "{}", "column 'status': missing")]
    [InlineData("SELECT * REPLACE (length(status) AS status) FROM src", "{}", "column 'status': holds 64-bit integers, expected text")]
    [InlineData("SELECT * EXCLUDE (jd_users) FROM src", "{}", "column 'jd_users': missing (an output the metadata names)")]
    [InlineData("SELECT * FROM src", """{"marketsim.design_points": "5"}""", "column 'point': row 6: 5 is not a design point")]
    [InlineData("SELECT * FROM src", """{"marketsim.design_base": "3"}""", "inconsistent design metadata")]
    [InlineData("SELECT * FROM src", """{"marketsim.design": "factorial"}""", "marketsim.design = 'factorial'")]
    [InlineData("SELECT * FROM src", """{"marketsim.analysis": "after_sweep=false;bootstrap=2000000000;seed=1;bins=4"}""", "bootstrap expected a whole number from 10 to 100000")]
    [InlineData("SELECT * FROM src", """{"marketsim.parameters": "behaviour_attention"}""", "expected 'column, path, min, max' separated by tabs")]
    public void WrittenByDuckDb_WrongSchemaOrMetadata_Refused(string select, string? metadata, string expected)
    {
        string folder = CliProcess.NewTempFolder();
        DuckDbRewrite(sweep.Summary, Path.Combine(folder, "summary.parquet"), select, metadata);
        AssertRefused(folder, expected);
    }

    [NodeFact]
    public void WrittenByDuckDb_WithItsMetadata_AnalysedAsTheOriginal()
    {
        // DuckDB writes other row groups, nullable columns and its own encodings: the reader takes the table, not the writer.
        string folder = CliProcess.NewTempFolder();
        DuckDbRewrite(sweep.Summary, Path.Combine(folder, "summary.parquet"), "SELECT * FROM src", "{}");
        var duck = Analyze(folder);
        var original = Analyze(SaltelliSweepFixture.FolderWith(File.ReadAllBytes(sweep.Summary)));
        Assert.True(duck.ExitCode == 0, duck.StdErr);
        Assert.Equal(original.StdOut.Split('\n')[0], duck.StdOut.Split('\n')[0]);
    }

    [NodeFact]
    public void SaltelliPointWithoutRun_RefusedNamingTheSweepFolder()
    {
        string folder = CliProcess.NewTempFolder();
        DuckDbRewrite(sweep.Summary, Path.Combine(folder, "summary.parquet"), "SELECT * FROM src WHERE point <> 3", "{}");
        var result = Analyze(folder);
        InputBoundaryTests.AssertRefusal(result, 2, $"error: {folder}: output jd_users: design point 3 has no successful run");
        Assert.False(Directory.Exists(Path.Combine(folder, "analysis")));
    }

    /// <summary>Runs tests/duckdb/rewrite.mjs (installing its packages first if needed).</summary>
    internal static void DuckDbRewrite(string source, string target, string select, string? metadata)
    {
        string[] args = metadata is null ? [source, target, select] : [source, target, select, "kv", metadata];
        var r = NodeTools.Run(NodeTools.DuckDb, "rewrite.mjs", args);
        Assert.True(r.ExitCode == 0, r.Output);
    }
}
