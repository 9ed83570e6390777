using System.Text.Json;
using MarketSim.Output;

namespace MarketSim.Tests;

/// <summary>Interruption, checkpoints, memory guard and paths, run through the real program.</summary>
public class ReliabilityTests
{
    private static readonly string[] ParquetFiles = ["metrics.parquet", "flows.parquet", "overlap.parquet", "calibration.parquet"];

    [Fact]
    public async Task Resume_AfterSigtermWithCheckpoints_GivesByteIdenticalParquet()
    {
        string work = CliProcess.NewTempFolder();
        string scenario = MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml");
        string whole = Path.Combine(work, "whole"), interrupted = Path.Combine(work, "interrupted");
        var reference = MarketSimProcess.Run(work, "run", scenario, "--agents", "600000", "--out", whole, "--no-charts");
        Assert.True(reference.ExitCode == 0, reference.StdErr);

        using (var run = CliProcess.Start(work, "run", scenario, "--agents", "600000", "--out", interrupted, "--no-charts",
                   "--checkpoint-every", "5"))
        {
            await run.Progressed;
            run.Signal("TERM");
            Assert.Equal(130, await run.ExitAsync());
            Assert.Contains("--resume", run.Log);
        }
        Assert.True(File.Exists(Path.Combine(interrupted, RunCheckpoint.FileName)));
        Assert.False(File.Exists(Path.Combine(interrupted, "_SUCCESS")));
        Assert.Empty(Directory.GetFiles(interrupted, "*.parquet"));

        // Without --no-charts: resuming keeps the run as it was started, charts off.
        var resumed = MarketSimProcess.Run(work, "run", "--resume", interrupted);

        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        Assert.Contains("Resumed at step", resumed.StdErr);
        foreach (var file in ParquetFiles)
            Assert.True(File.ReadAllBytes(Path.Combine(whole, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(interrupted, file))),
                $"{file} differs after resuming");
        Assert.True(File.Exists(Path.Combine(interrupted, "_SUCCESS")));
        Assert.False(File.Exists(Path.Combine(interrupted, RunCheckpoint.FileName)), "checkpoint left after completion");
        Assert.Empty(Directory.GetFiles(interrupted, "*.png"));
        Assert.Empty(Directory.GetFiles(interrupted, ".checkpoint*"));
    }

    [Fact]
    public void Resume_FolderWithoutCheckpoint_ExitsTwo()
    {
        string work = CliProcess.NewTempFolder();
        var result = MarketSimProcess.Run(work, "run", "--resume", work);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no checkpoint", result.StdErr);
    }

    [Theory]
    [InlineData("folder")]     // the scenario loaded and the output folder made
    [InlineData("stepping")]   // the first progress line: steps under way, Parquet being written under dot-names
    [InlineData("parquet")]    // the first Parquet file renamed into view
    [InlineData("png")]        // charts being drawn
    public async Task Sigkill_AtAnyMoment_LeavesOnlyCompleteVisibleFiles(string moment)
    {
        // Killed at a moment defined by what the run has done, not by a delay a busy machine would shift.
        string work = CliProcess.NewTempFolder();
        string output = Path.Combine(work, "run");
        bool Visible(string pattern) => Directory.Exists(output) && Directory.GetFiles(output, pattern).Any(f => !Path.GetFileName(f).StartsWith('.'));
        using (var run = CliProcess.Start(work, "run", MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml"), "--agents", "400000", "--out", output))
        {
            Func<bool> reached = moment switch
            {
                "folder" => () => Directory.Exists(output),
                "stepping" => () => run.Progressed.IsCompleted,
                "parquet" => () => Visible("*.parquet"),
                _ => () => Visible("*.png"),
            };
            await run.WhileProgressing(reached);
            run.Signal("KILL");
            await run.ExitAsync();
        }
        Assert.True(Directory.Exists(output), "the run never made its output folder");
        foreach (var file in Directory.GetFiles(output).Where(f => !Path.GetFileName(f).StartsWith('.')))
        {
            string name = Path.GetFileName(file);
            if (name.EndsWith(".parquet", StringComparison.Ordinal))
                Assert.NotNull(await RunOutputReader.ReadMetadataAsync(file));
            else if (name.EndsWith(".png", StringComparison.Ordinal))
            {
                var bytes = File.ReadAllBytes(file);
                Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), $"{name} is not a PNG");
                Assert.True(bytes.AsSpan(bytes.Length - 8, 4).SequenceEqual("IEND"u8), $"{name} is cut short");
            }
            else if (name.EndsWith(".json", StringComparison.Ordinal))
                JsonDocument.Parse(File.ReadAllText(file)).Dispose();
        }
        if (File.Exists(Path.Combine(output, "_SUCCESS")))
            foreach (var file in ParquetFiles) Assert.True(File.Exists(Path.Combine(output, file)), $"_SUCCESS without {file}");
    }

    [Fact]
    public void Run_MoreMemoryThanAllowed_ExitsThreeAndWritesNothing()
    {
        string work = CliProcess.NewTempFolder();
        string output = Path.Combine(work, "out");
        var result = MarketSimProcess.Run(work, "run", MarketSimProcess.Scenario("baseline.yaml"), "--max-memory", "100MiB", "--out", output);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("needs about", result.StdErr);
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/tmp/absolute")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("..")]
    public void Run_ScenarioNameThatIsAPath_IsRejectedAndNothingWritten(string name)
    {
        string work = CliProcess.NewTempFolder();
        File.Copy(MarketSimProcess.Scenario("baseline.yaml"), Path.Combine(work, "baseline.yaml"));
        Directory.CreateDirectory(Path.Combine(work, "data")); // the baseline's calibration targets, relative to it
        File.Copy(MarketSimProcess.Scenario("data/targets.csv"), Path.Combine(work, "data", "targets.csv"));
        string scenario = Path.Combine(work, "odd.yaml");
        File.WriteAllText(scenario, $"extends: baseline.yaml\nname: \"{name}\"\n");

        var result = MarketSimProcess.Run(work, "run", scenario);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("odd.yaml:2:", result.StdErr);
        Assert.Contains(": name: ", result.StdErr);
        Assert.Equal(["baseline.yaml", "data", "odd.yaml"], Directory.GetFileSystemEntries(work).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData("run", "--agents", "many")]
    [InlineData("sweep", "x.yaml", "--agents", "many")]   // the --set validator must not read an option that did not parse
    [InlineData("compare", "x.yaml", "--seed", "-3")]
    [InlineData("run", "--checkpoint-every", "-1", "x.yaml")]
    [InlineData("run", "--max-memory", "lots", "x.yaml")]
    [InlineData("frobnicate")]
    public void BadCommandLine_ExitsTwo(params string[] args)
    {
        var result = MarketSimProcess.Run(CliProcess.NewTempFolder(), args);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.StdErr);
    }
}
