using System.Diagnostics;
using Parquet;

namespace MarketSim.Tests;

/// <summary>A small sweep run once by one process: the reference every other way of running it must reproduce.</summary>
public sealed class ReferenceSweep : IDisposable
{
    public const string Yaml = """
        name: cli-test
        scenario: SCENARIO
        parameters:
          alliances.jd-kuaishou.traffic[0].share: {min: 0.1, max: 0.6}
          alliances.jd-kuaishou.supply[0].share: {values: [0.1, 0.3, 0.5]}
          calendar.steps: {min: 20, max: 26}
        design: {type: lhs, points: 4, seed: 3}
        replications: 2
        master_seed: 7
        agents: 8000
        overrides: {population.cohorts_per_tier: 64}
        outputs: {metrics: true, flows: true, overlap: false}
        """;

    public ReferenceSweep()
    {
        Work = Cli.NewTempFolder();
        SweepFile = WriteSweep(Work);
        Output = Path.Combine(Work, "single");
        Result = MarketSimProcess.Run(Work, "sweep", SweepFile, "--out", Output, "--parallel-runs", "2");
    }

    public static string WriteSweep(string folder, string? yaml = null)
    {
        string path = Path.Combine(folder, "sweep.yaml");
        File.WriteAllText(path, (yaml ?? Yaml).Replace("SCENARIO", MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml")));
        return path;
    }

    public string Work { get; }

    public string SweepFile { get; }

    public string Output { get; }

    internal MarketSimProcess.Result Result { get; }

    public void Dispose()
    {
        try { Directory.Delete(Work, recursive: true); } catch (IOException) { }
    }
}

public class SweepCliTests(ReferenceSweep reference) : IClassFixture<ReferenceSweep>
{
    private static void AssertSameDataset(string expected, string actual)
    {
        var a = Cli.Files(expected, Cli.Dataset);
        var b = Cli.Files(actual, Cli.Dataset);
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (name, bytes) in a) Assert.True(bytes.AsSpan().SequenceEqual(b[name]), $"{name} differs");
        Assert.Equal(Directory.GetFiles(Path.Combine(expected, "_runs")).Select(Path.GetFileName).Order(),
            Directory.GetFiles(Path.Combine(actual, "_runs")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Sweep_SingleProcess_WritesHivePartitionedDatasetAndRunsTable()
    {
        Assert.True(reference.Result.ExitCode == 0, reference.Result.StdErr);
        string o = reference.Output;
        Assert.True(File.Exists(Path.Combine(o, "_SUCCESS")));
        Assert.True(File.Exists(Path.Combine(o, "runs.parquet")));
        Assert.True(File.Exists(Path.Combine(o, "sweep.resolved.yaml")));
        for (int i = 0; i < 8; i++)
            foreach (var table in new[] { "metrics", "flows", "calibration" })
                Assert.True(File.Exists(Path.Combine(o, table, $"run={i:D6}", "part-0.parquet")), $"{table} run {i}");
        Assert.False(Directory.Exists(Path.Combine(o, "overlap")));
        Assert.False(Directory.Exists(Path.Combine(o, "_staging")));
        Assert.Contains("8 ok, 0 failed", reference.Result.StdOut);
    }

    [Fact]
    public async Task Sweep_ThreeShardProcesses_SameFilesByteForByteAsOneProcess()
    {
        Assert.Equal(0, reference.Result.ExitCode);
        string output = Path.Combine(reference.Work, "sharded-" + Guid.NewGuid().ToString("N"));
        // Three cluster tasks at once: one by --shard, one by a Kubernetes index, one by a Slurm array id.
        var shards = await Task.WhenAll(
            MarketSimProcess.RunAsync(reference.Work, null, "sweep", reference.SweepFile, "--out", output, "--shard", "0/3", "--parallel-runs", "1"),
            MarketSimProcess.RunAsync(reference.Work, new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "1" },
                "sweep", reference.SweepFile, "--out", output, "--shards", "3", "--parallel-runs", "1"),
            MarketSimProcess.RunAsync(reference.Work, new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "2", ["SLURM_ARRAY_TASK_COUNT"] = "1", ["SLURM_ARRAY_TASK_MIN"] = "2" },
                "sweep", reference.SweepFile, "--out", output, "--shards", "3", "--parallel-runs", "1"));
        foreach (var s in shards) Assert.True(s.ExitCode == 0, s.StdErr);
        Assert.Contains(shards, s => s.StdOut.Contains("Shard 2/3", StringComparison.Ordinal));
        AssertSameDataset(reference.Output, output);
    }

    [Fact]
    public async Task Sweep_KilledAfterFirstRunAndResumed_SameDatasetAsUninterrupted()
    {
        Assert.Equal(0, reference.Result.ExitCode);
        string output = Path.Combine(reference.Work, "killed-" + Guid.NewGuid().ToString("N"));
        using (var process = Process.Start(MarketSimProcess.StartInfo(reference.Work, null, ["sweep", reference.SweepFile, "--out", output, "--parallel-runs", "1"]))!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            string firstMarker = Path.Combine(output, "_runs", "run=000000.json");
            while (!File.Exists(firstMarker) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(5);
            process.Kill(); // SIGKILL: no handler runs
            await process.WaitForExitAsync();
        }
        Assert.False(File.Exists(Path.Combine(output, "_SUCCESS")), "the sweep finished before it was killed: nothing was tested");

        // Nothing partial is visible: every Parquet file a reader would see opens and has rows.
        var visible = Cli.Files(output, f => f.EndsWith(".parquet", StringComparison.Ordinal) && !f.Split('/').Any(s => s.StartsWith('.') || s.StartsWith('_')));
        Assert.NotEmpty(visible);
        foreach (var (name, bytes) in visible)
        {
            await using var reader = await ParquetReader.CreateAsync(new MemoryStream(bytes));
            Assert.True(reader.RowGroupCount > 0, name);
        }

        var resumed = MarketSimProcess.Run(reference.Work, "sweep", reference.SweepFile, "--out", output, "--parallel-runs", "2");
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        Assert.Contains("already done", resumed.StdOut);
        Assert.DoesNotContain(" 0 already done", resumed.StdOut);
        AssertSameDataset(reference.Output, output);
    }

    [Fact]
    public void Sweep_RunAgainWhenComplete_RunsNothingAndKeepsTheDataset()
    {
        Assert.Equal(0, reference.Result.ExitCode);
        string copy = Path.Combine(reference.Work, "again-" + Guid.NewGuid().ToString("N"));
        foreach (var (name, bytes) in Cli.Files(reference.Output))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, name))!);
            File.WriteAllBytes(Path.Combine(copy, name), bytes);
        }
        var again = MarketSimProcess.Run(reference.Work, "sweep", reference.SweepFile, "--out", copy);
        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.Contains("8 already done, 0 ok", again.StdOut);
        AssertSameDataset(reference.Output, copy);
    }

    [Theory]
    [InlineData("traffic[0].share", "trafic[0].share", "parameters.alliances.jd-kuaishou.trafic[0].share: unknown key 'trafic'")]
    [InlineData("type: lhs", "type: halton", "design.type: expected grid, random, lhs, sobol, saltelli, morris or points, found 'halton'")]
    [InlineData("{min: 0.1, max: 0.6}", "{min: 0.6, max: 0.1}", "min 0.6 is greater than max 0.1")]
    [InlineData("replications: 2", "replicatons: 2", ":8:1: replicatons: unknown key 'replicatons'; did you mean 'replications'?")]
    [InlineData("replications: 2", "replications: two", ":8:15: replications: expected a whole number, found 'two'")]
    public void Sweep_InvalidSweepFile_Exit2AndNothingWritten(string from, string to, string expected)
    {
        string work = Cli.NewTempFolder();
        string sweep = ReferenceSweep.WriteSweep(work, ReferenceSweep.Yaml.Replace(from, to));
        var result = MarketSimProcess.Run(work, "sweep", sweep, "--out", Path.Combine(work, "out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{sweep}:", result.StdErr);
        Assert.Contains(expected, result.StdErr);
        Assert.Equal(["sweep.yaml"], Directory.EnumerateFileSystemEntries(work).Select(Path.GetFileName));
    }

    [Fact]
    public void Sweep_OutputFolderOfAnotherSweep_Exit2()
    {
        Assert.Equal(0, reference.Result.ExitCode);
        string work = Cli.NewTempFolder();
        string sweep = ReferenceSweep.WriteSweep(work, ReferenceSweep.Yaml.Replace("master_seed: 7", "master_seed: 8"));
        var result = MarketSimProcess.Run(work, "sweep", sweep, "--out", reference.Output);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("holds a different sweep", result.StdErr);
    }

    [Fact]
    public void Sweep_InvalidParameterCombination_RefusedBeforeAnythingIsWrittenExit2()
    {
        string work = Cli.NewTempFolder();
        // Both ends pass validation, but a start after the end (mixed levels) is not a valid scenario: every point is
        // checked before the dataset exists, so the sweep is refused rather than failing that run later.
        string yaml = ReferenceSweep.Yaml
            .Replace("""
                  alliances.jd-kuaishou.traffic[0].share: {min: 0.1, max: 0.6}
                  alliances.jd-kuaishou.supply[0].share: {values: [0.1, 0.3, 0.5]}
                  calendar.steps: {min: 20, max: 26}
                """, """
                  alliances.jd-kuaishou.start: {values: [2019-02-01, 2019-06-01]}
                  alliances.jd-kuaishou.end: {values: [2019-03-01, 2019-09-01]}
                """)
            .Replace("design: {type: lhs, points: 4, seed: 3}", "design: {type: grid}")
            .Replace("replications: 2", "replications: 1")
            // No festival falls in these one- and three-month 2019 alliances: their co-promotion, and their launch of the
            // 2020 616, would be validation errors.
            .Replace("population.cohorts_per_tier: 64", "population.cohorts_per_tier: 64, calendar.steps: 20, alliances.jd-kuaishou.co_promotion: ~, alliances.jd-kuaishou.launch: ~");
        string sweep = ReferenceSweep.WriteSweep(work, yaml);
        string output = Path.Combine(work, "out");
        var result = MarketSimProcess.Run(work, "sweep", sweep, "--out", output);
        Assert.True(result.ExitCode == 2, result.StdOut + result.StdErr);
        Assert.Contains($"error: {sweep}:5:3: parameters.alliances.jd-kuaishou.end: at point 2 (alliances.jd-kuaishou.start=2019-06-01, " +
                        "alliances.jd-kuaishou.end=2019-03-01): expected a date on or after start", result.StdErr);
        Assert.False(Directory.Exists(output));
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
    }

    [NodeFact]
    public void Sweep_DuckDb_ReadsDatasetWithHivePartitioningJoinedToRuns()
    {
        Assert.Equal(0, reference.Result.ExitCode);
        var check = NodeTools.Run(NodeTools.DuckDb, "sweep-check.mjs", reference.Output);
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("all checks passed", check.Output);
    }

    [NodeFact]
    public void Sweep_DocsViewsSql_HiveTypesDimensionJoinsAndNationalTotalsHold()
    {
        Assert.Equal(0, reference.Result.ExitCode);
        var check = NodeTools.Run(NodeTools.DuckDb, "views-check.mjs", reference.Output);
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("all checks passed", check.Output);
    }

    [NodeFact]
    public void Sweep_ParquetFiles_WithinOneAndAHalfTimesDuckDbZstdRewrite()
    {
        // The files' data (the marketsim.* metadata aside, which DuckDB's rewrite drops) is compressed about as well as
        // DuckDB compresses the same rows with ZSTD.
        Assert.Equal(0, reference.Result.ExitCode);
        var check = NodeTools.Run(NodeTools.DuckDb, "sizes.mjs", reference.Output, "1.5");
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("metrics/", check.Output);
    }
}
