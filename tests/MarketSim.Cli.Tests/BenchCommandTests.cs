using System.Text.RegularExpressions;

namespace MarketSim.Tests;

/// <summary>
/// <c>marketsim bench</c> end to end on a small population: it reports every figure the performance docs quote and
/// leaves nothing behind. Times are printed, never asserted.
/// </summary>
public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_SmallRun_PrintsEveryFigureAndDeletesItsFiles()
    {
        // A private temporary folder, so that what the bench leaves behind is visible and no other test's files interfere.
        string temp = CliProcess.NewTempFolder();
        try
        {
            var result = await MarketSimProcess.RunAsync(MarketSimProcess.RepositoryRoot,
                new Dictionary<string, string> { ["TMPDIR"] = temp },
                "bench", "--agents", "30000", "--steps", "6", "--threads", "2");

            Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
            // The table is drawn for an 80-column console and may wrap: compare with borders and line breaks removed.
            string text = Regex.Replace(result.StdOut.Replace('│', ' '), @"\s+", " ");
            Assert.Contains("30,000 agents × 6 steps, 2 threads", text);
            foreach (var measure in new[]
                     {
                         "agent-steps per second", "stepping alone", "nanoseconds per agent-step", "time: initialise",
                         "time: stepping agents", "time: tables and aggregation", "time: writing Parquet",
                         "engine bytes per agent slot", "peak working set", "estimated (before allocating)",
                     })
                Assert.Contains(measure, text);
            Assert.Matches(@"agent-steps [\d,]+ ", text);
            Assert.Contains("bytes of agent state per agent 13 ", text);
            Assert.Matches(@"1 billion agents \([\d,]+ slots with arrivals over \d+ steps\): estimated [\d.]+ GiB — fits in 24 GiB\.", text);

            string benchFolder = Path.Combine(temp, "marketsim-bench");
            Assert.True(!Directory.Exists(benchFolder) || !Directory.EnumerateFileSystemEntries(benchFolder).Any(),
                "bench left files in " + benchFolder);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [Fact]
    public async Task BenchCalibration_TwoEvaluations_PrintsEachWithItsObjectiveAndTheMedian()
    {
        var result = await MarketSimProcess.RunAsync(MarketSimProcess.RepositoryRoot, null,
            "bench", "--calibration", Path.Combine("scenarios", "calibration", "default.yaml"), "--evaluations", "2", "--threads", "1");

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        string text = Regex.Replace(result.StdOut.Replace('│', ' '), @"\s+", " ");
        Assert.Contains("50,000 agents × 1 replication(s), 1 threads", text);
        // Each evaluation: its number, its wall time and a finite objective (the design's points differ, so do these).
        var rows = Regex.Matches(text, @" ([12]) (\d+\.\d{3}) s (\d+\.\d+(?:E[+-]?\d+)?)(?= )");
        Assert.Equal(["1", "2"], rows.Select(m => m.Groups[1].Value));
        Assert.NotEqual(rows[0].Groups[3].Value, rows[1].Groups[3].Value);
        Assert.Matches(@"per evaluation after the first: median \d+\.\d{3} s wall", text);
    }

    [Fact]
    public async Task BenchCalibration_InvalidFile_IsRejectedAsInvalidInput()
    {
        string temp = CliProcess.NewTempFolder();
        try
        {
            string file = Path.Combine(temp, "bad.yaml");
            await File.WriteAllTextAsync(file, "scenario: missing.yaml\nagents: 1000\n");
            var result = await MarketSimProcess.RunAsync(temp, null, "bench", "--calibration", file);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("error: ", result.StdErr);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [Fact]
    public async Task Bench_ZeroAgents_IsRejectedAsInvalidInput()
    {
        string temp = CliProcess.NewTempFolder();
        try
        {
            var result = await MarketSimProcess.RunAsync(MarketSimProcess.RepositoryRoot,
                new Dictionary<string, string> { ["TMPDIR"] = temp }, "bench", "--agents", "0");

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("error: --agents 0: out of range", result.StdErr);   // the option as typed, not the key it sets
            Assert.False(Directory.Exists(Path.Combine(temp, "marketsim-bench")));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
