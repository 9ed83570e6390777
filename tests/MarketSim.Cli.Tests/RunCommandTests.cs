namespace MarketSim.Tests;

public class RunCommandTests
{
    private static readonly string[] ParquetFiles = ["metrics.parquet", "flows.parquet", "overlap.parquet", "calibration.parquet"];

    [Fact]
    public void Run_OneThreadAndTwoThreads_WriteByteIdenticalParquet()
    {
        string work = CliProcess.NewTempFolder();
        string a = Path.Combine(work, "a"), b = Path.Combine(work, "b");
        string scenario = MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml");
        var one = MarketSimProcess.Run(work, "run", scenario, "--agents", "20000", "--threads", "1", "--out", a, "--no-charts");
        var two = MarketSimProcess.Run(work, "run", scenario, "--agents", "20000", "--threads", "2", "--out", b, "--no-charts");
        Assert.True(one.ExitCode == 0, one.StdErr);
        Assert.True(two.ExitCode == 0, two.StdErr);
        foreach (var file in ParquetFiles)
            Assert.True(File.ReadAllBytes(Path.Combine(a, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, file))),
                $"{file} differs between 1 and 2 threads");
        Assert.True(File.Exists(Path.Combine(a, "_SUCCESS")));
    }

    [Theory]
    [InlineData("DOTNET_EnableHWIntrinsic", "")]   // scalar code everywhere: no SSE4.2, AVX2, BMI2, POPCNT
    [InlineData("DOTNET_EnableAVX2", "")]
    [InlineData("DOTNET_EnableAVX512F", "")]     // Zstd (ZstdSharp) has Vector128/256/512 paths too
    // The eight-agent blocks' edge cases: localities smaller than a block, every order on the primary (no division),
    // nearly every order elsewhere, few cohorts.
    [InlineData("DOTNET_EnableAVX2", "behaviour: {locality_size: 4, primary_order_share: 1.0}")]
    [InlineData("DOTNET_EnableAVX2", "behaviour: {primary_order_share: 0.05}\npopulation: {cohorts_per_tier: 16}")]
    // Re-evaluation eight agents at a time: many attentive agents (full batches), and no word of mouth, where the
    // scalar form skips the exp the lanes multiply by (e^0 = 1).
    [InlineData("DOTNET_EnableAVX2", "behaviour: {word_of_mouth: 0, attention: 0.5}")]
    public async Task Run_WithoutCpuExtensions_WritesByteIdenticalParquet(string switchOff, string changes)
    {
        // Machines differ in instruction sets; neither the engine nor the Parquet encoding may depend on them.
        string work = CliProcess.NewTempFolder();
        string a = Path.Combine(work, "a"), b = Path.Combine(work, "b");
        string scenario = MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml");
        if (changes.Length > 0)
        {
            string variant = Path.Combine(work, "variant.yaml");
            File.WriteAllText(variant, $"extends: {scenario}\nname: variant\n{changes}\n");
            scenario = variant;
        }
        var plain = MarketSimProcess.Run(work, "run", scenario, "--agents", "20000", "--out", a, "--no-charts");
        var reduced = await MarketSimProcess.RunAsync(work, new Dictionary<string, string> { [switchOff] = "0" },
            "run", scenario, "--agents", "20000", "--out", b, "--no-charts");
        Assert.True(plain.ExitCode == 0, plain.StdErr);
        Assert.True(reduced.ExitCode == 0, reduced.StdErr);
        foreach (var file in ParquetFiles)
            Assert.True(File.ReadAllBytes(Path.Combine(a, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, file))),
                $"{file} differs with {switchOff}=0");
    }

    [Fact]
    public void Run_SmallAllianceScenario_WritesParquetChartsAndMarkerLast()
    {
        string work = CliProcess.NewTempFolder();
        string output = Path.Combine(work, "run");
        var result = MarketSimProcess.Run(work, "run", MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml"), "--agents", "20000", "--out", output);
        Assert.True(result.ExitCode == 0, result.StdErr);
        foreach (var file in ParquetFiles.Append("run.json").Append("shares.png").Append("shares_by_tier.png")
                     .Append("flows_heatmap.png").Append("overlap.png").Append("gmv.png"))
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} missing");
        Assert.Empty(Directory.GetFiles(output, "*.tmp"));
        var success = File.GetLastWriteTimeUtc(Path.Combine(output, "_SUCCESS"));
        foreach (var file in Directory.GetFiles(output).Where(f => !f.EndsWith("_SUCCESS")))
            Assert.True(File.GetLastWriteTimeUtc(file) <= success, $"{Path.GetFileName(file)} written after _SUCCESS");
    }

    [Theory]
    [InlineData("misspelt", "populaton:\n  agents: 1000\n", "populaton")]
    [InlineData("negative-agents", "population:\n  agents: -5\n", "population.agents")]
    [InlineData("unknown-platform", "alliances:\n  jd-kuaishou:\n    members: [jd, kuaishu]\n", "kuaishu")]
    public void Run_InvalidScenario_ExitsTwoWithOneLineErrorAndWritesNothing(string name, string yaml, string expectedKey)
    {
        string work = CliProcess.NewTempFolder();
        string scenario = Path.Combine(work, $"{name}.yaml");
        File.Copy(MarketSimProcess.Scenario("baseline.yaml"), Path.Combine(work, "baseline.yaml"));
        File.Copy(MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml"), Path.Combine(work, "jd-kuaishou-alliance.yaml"));
        Directory.CreateDirectory(Path.Combine(work, "data")); // the baseline's calibration targets, relative to it
        File.Copy(MarketSimProcess.Scenario("data/targets.csv"), Path.Combine(work, "data", "targets.csv"));
        File.WriteAllText(scenario, $"extends: jd-kuaishou-alliance.yaml\nname: {name}\n{yaml}");
        string output = Path.Combine(work, "out");

        var result = MarketSimProcess.Run(work, "run", scenario, "--out", output);

        Assert.Equal(2, result.ExitCode);
        var errors = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:")).ToList();
        Assert.NotEmpty(errors);
        var line = errors.First(l => l.Contains(expectedKey));
        Assert.Contains($"{name}.yaml:", line);
        Assert.Matches(@"\.yaml:\d+:\d+: ", line);
        Assert.False(Directory.Exists(output), "an output folder was created for an invalid scenario");
        Assert.False(Directory.Exists(Path.Combine(work, "output")), "an output folder was created for an invalid scenario");
    }

    [Fact]
    public void Help_NamesTheRunCommandAndItsOptions()
    {
        var result = MarketSimProcess.Run(CliProcess.NewTempFolder(), "run", "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--agents", "--seed", "--threads", "--out", "SCENARIO" })
            Assert.Contains(option, result.StdOut);
    }
}
