using System.Text.Json;

namespace MarketSim.Tests;

/// <summary>The command line as a person meets it: help, hints, overrides and machine-readable plans.</summary>
public class CommandLineTests
{
    [Fact]
    public void Bare_PrintsHelpWithEnvironmentVariables_ExitZero()
    {
        var result = MarketSimProcess.Run(CliProcess.NewTempFolder());
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("Usage:", result.StdOut);
        Assert.Contains("MARKETSIM_LOGLEVEL", result.StdOut);
    }

    [Fact]
    public void BadOption_HintNamesTheCommandUsed()
    {
        var result = MarketSimProcess.Run(CliProcess.NewTempFolder(), "sweep", "x.yaml", "--parallel-runz", "2");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Try 'marketsim sweep --help'.", result.StdErr);
    }

    [Theory]
    [InlineData("run", "--set alliances.jd-kuaishou.traffic[0].share=1.6: alliances.jd-kuaishou.traffic[0].share: expected a number in [0, 1]")]
    [InlineData("compare", "--set alliances.jd-kuaishou.traffic[0].share=1.6: alliances.jd-kuaishou.traffic[0].share: expected a number in [0, 1]")]
    public void SetOverride_RefusedValue_ErrorNamesTheOption(string command, string expected)
    {
        string work = CliProcess.NewTempFolder();
        var result = MarketSimProcess.Run(work, command, MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml"), "--agents", "1000",
            "--set", "alliances.jd-kuaishou.traffic[0].share=1.6", "--out", Path.Combine(work, "out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: " + expected, result.StdErr);
        Assert.False(Directory.Exists(Path.Combine(work, "out")), "nothing may be written for invalid input");
    }

    [Fact]
    public void SetOverride_Malformed_ParseErrorExitTwo()
    {
        var result = MarketSimProcess.Run(CliProcess.NewTempFolder(), "run", MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml"), "--set", "calendar.steps");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: --set calendar.steps: expected path=value", result.StdErr);
        Assert.Contains("Try 'marketsim run --help'.", result.StdErr);
    }

    [Fact]
    public void RunDryRunJson_SetAndAgents_AppliedToThePlan()
    {
        var result = MarketSimProcess.Run(CliProcess.NewTempFolder(), "run", MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml"),
            "--agents", "3000", "--set", "calendar.steps=13", "--dry-run", "--json");
        Assert.True(result.ExitCode == 0, result.StdErr);
        using var doc = JsonDocument.Parse(result.StdOut);
        Assert.Equal(13, doc.RootElement.GetProperty("steps").GetInt32());
        Assert.Equal(3000, doc.RootElement.GetProperty("agents").GetInt64());
        Assert.True(doc.RootElement.GetProperty("estimated_bytes").GetInt64() > 0);
    }

    [Fact]
    public void SweepDryRunJson_AgentsAndSet_EveryRunListedWithItsParameters()
    {
        string sweep = MarketSimProcess.Scenario("sweeps/alliance-traffic-supply.yaml");
        var result = MarketSimProcess.Run(CliProcess.NewTempFolder(), "sweep", sweep, "--agents", "2000", "--set", "calendar.steps=10",
            "--dry-run", "--json");
        Assert.True(result.ExitCode == 0, result.StdErr);
        using var doc = JsonDocument.Parse(result.StdOut);
        var runs = doc.RootElement.GetProperty("runs");
        Assert.Equal(doc.RootElement.GetProperty("total_runs").GetInt32(), runs.GetArrayLength());
        Assert.Equal(90, runs.GetArrayLength());   // 6 × 3 grid × 5 replications: all runs, not the table's first 20
        Assert.Equal(0.5, runs[89].GetProperty("parameters").GetProperty("alliances.jd-kuaishou.traffic[0].share").GetDouble());

        var swept = MarketSimProcess.Run(CliProcess.NewTempFolder(), "sweep", sweep, "--set", "alliances.jd-kuaishou.supply[0].share=0.2", "--dry-run");
        Assert.Equal(2, swept.ExitCode);
        Assert.Contains("error: --set alliances.jd-kuaishou.supply[0].share=0.2: alliances.jd-kuaishou.supply[0].share is swept", swept.StdErr);
    }
}
