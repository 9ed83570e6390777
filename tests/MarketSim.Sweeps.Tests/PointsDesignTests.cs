using MarketSim.Sweeps;

namespace MarketSim.Tests;

/// <summary>
/// <c>design: {type: points, file: …}</c>: a sweep over an explicit list of points (issue 28: a posterior wave sharded
/// across a cluster as a sweep is), read from a CSV beside the sweep file.
/// </summary>
public class PointsDesignTests
{
    private const string Sweep = """
        name: t
        scenario: SCENARIO
        parameters:
          alliances.jd-kuaishou.traffic[0].share: {min: 0.1, max: 0.6}
          calendar.steps: {min: 20, max: 23}
        design: {type: points, file: wave.csv}
        replications: 2
        master_seed: 42
        agents: 5000
        """;

    private static (string Sweep, string Csv) Write(string csv, string? yaml = null)
    {
        string folder = Cli.NewTempFolder();
        string path = Path.Combine(folder, "sweep.yaml");
        File.WriteAllText(path, (yaml ?? Sweep).Replace("SCENARIO", MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml")));
        File.WriteAllText(Path.Combine(folder, "wave.csv"), csv);
        return (path, Path.Combine(folder, "wave.csv"));
    }

    [Fact]
    public void Points_AreTheFilesRows_InFileOrder_WhateverTheColumnOrder()
    {
        // Columns in another order than the parameters, one named by its runs.parquet column name.
        var (sweep, _) = Write("calendar.steps,alliances_jd_kuaishou_traffic_0_share\n21,0.15\n23,0.6\n20,0.1\n");
        var loaded = SweepFile.Load(sweep);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var plan = new SweepPlan(loaded.Spec!, "test");
        Assert.Equal(3, plan.Points);
        Assert.Equal(6, plan.Runs.Count);
        Assert.Equal([0.15, 0.15, 0.6, 0.6, 0.1, 0.1], plan.Runs.Select(r => (double)r.Values[0]));
        Assert.Equal([21L, 21L, 23L, 23L, 20L, 20L], plan.Runs.Select(r => (long)r.Values[1])); // an integer field stays whole
        Assert.Contains("type: points, points: 3", plan.ResolvedYaml(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherFile_IsAnotherSweep_ForResumeAndShards()
    {
        // The plan's fingerprint holds the file's hash: a shard or a resume with other points is refused as another sweep.
        var (a, _) = Write("alliances.jd-kuaishou.traffic[0].share,calendar.steps\n0.2,21\n");
        var (b, _) = Write("alliances.jd-kuaishou.traffic[0].share,calendar.steps\n0.3,21\n");
        string Yaml(string s) => new SweepPlan(SweepFile.Load(s).Spec!, "test").ResolvedYaml();
        Assert.NotEqual(Yaml(a).Split('\n').Single(l => l.StartsWith("design:", StringComparison.Ordinal)),
            Yaml(b).Split('\n').Single(l => l.StartsWith("design:", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("alliances.jd-kuaishou.traffic[0].share,calendar.steps\n0.7,21\n", "wave.csv:2:1: alliances.jd-kuaishou.traffic[0].share: 0.7 is outside the parameter's range [0.1, 0.6]")]
    [InlineData("alliances.jd-kuaishou.traffic[0].share,calendar.steps\n0.2,21.5\n", "wave.csv:2:5: calendar.steps: expected a whole number, found 21.5")]
    [InlineData("alliances.jd-kuaishou.traffic[0].share,calendar.steps\n0.2,x\n", "wave.csv:2:5: calendar.steps: expected a number, found 'x'")]
    [InlineData("alliances.jd-kuaishou.traffic[0].share,calendar.steps\n0.2\n", "wave.csv:2:1: expected 2 values, found 1")]
    [InlineData("alliances.jd-kuaishou.traffic[0].share\n0.2\n", "wave.csv:1:1: no column for the parameter calendar.steps")]
    [InlineData("alliances.jd-kuaishou.traffic[0].share,calendar.steps,behaviour.inertia\n0.2,21,3\n", "wave.csv:1:1: column 'behaviour.inertia' is not a parameter of the sweep")]
    [InlineData("alliances.jd-kuaishou.traffic[0].share,calendar.steps\n", "no points: expected one row per point after the header")]
    public void BadRows_AreRefusedWithTheCsvsLineAndColumn(string csv, string expected)
    {
        var (sweep, _) = Write(csv);
        var loaded = SweepFile.Load(sweep);
        Assert.False(loaded.Ok);
        Assert.Contains(loaded.Problems, p => p.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void FileMissing_OrPointsGiven_OrFileOnAnotherDesign_AreRefusedAtTheirKeys()
    {
        var (missing, csv) = Write("x\n");
        File.Delete(csv);
        Assert.Contains(SweepFile.Load(missing).Problems, p => p.Key == "design.file" && p.Message.Contains("no such file", StringComparison.Ordinal));
        var (counted, _) = Write("alliances.jd-kuaishou.traffic[0].share,calendar.steps\n0.2,21\n", Sweep.Replace("file: wave.csv}", "file: wave.csv, points: 3}"));
        Assert.Contains(SweepFile.Load(counted).Problems, p => p.Key == "design.points");
        var (lhs, _) = Write("x\n", Sweep.Replace("{type: points, file: wave.csv}", "{type: lhs, points: 4, file: wave.csv}"));
        Assert.Contains(SweepFile.Load(lhs).Problems, p => p.Key == "design.file" && p.Message.Contains("points designs only", StringComparison.Ordinal));
        var (none, _) = Write("x\n", Sweep.Replace("{type: points, file: wave.csv}", "{type: points}"));
        Assert.Contains(SweepFile.Load(none).Problems, p => p.Key == "design.file" && p.Message.StartsWith("missing", StringComparison.Ordinal));
    }
}
