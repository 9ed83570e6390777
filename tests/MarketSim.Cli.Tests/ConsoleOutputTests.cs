using MarketSim.Cli.Runs;

namespace MarketSim.Tests;

/// <summary>Issue 15's small things: what the console says when output is redirected.</summary>
public class ConsoleOutputTests
{
    [Fact]
    public void Run_Redirected_PathOnOneLineLogsWithoutClassNamesRateNotZeroAndTrustSummary()
    {
        string work = CliProcess.NewTempFolder();
        // A long folder name: Spectre.Console would wrap it at 80 columns when output has no terminal width.
        string output = Path.Combine(work, new string('r', 70), "run");
        var r = MarketSimProcess.Run(work, "run", MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml"), "--agents", "2000",
            "--out", output, "--no-charts");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains($"Results: {output}\n", r.StdOut.Replace("\r", ""));
        Assert.DoesNotContain("MarketSim.Cli", r.StdErr);
        Assert.Matches(@"\d\d:\d\d:\d\d info: Scenario jd-kuaishou-alliance", r.StdErr);
        Assert.DoesNotContain("(0 M agent-steps/s", r.StdOut);
        // Every row of the targets file the default scenarios name lies within the three-year run.
        int targets = File.ReadAllLines(Path.Combine(MarketSimProcess.RepositoryRoot, "scenarios", "data", "targets.csv")).Skip(1).Count(l => l.Trim().Length > 0);
        Assert.Contains($"Calibration targets: {targets} published figures", r.StdOut);
        // The default scenarios carry the default calibration's fitted values (baseline.yaml: fitted_by).
        Assert.Contains("Some parameters are fitted to these figures by `marketsim calibrate calibration/default.yaml`", r.StdOut);
        Assert.DoesNotContain("Nothing in the model is fitted", r.StdOut);
    }

    [Theory]
    [InlineData(147e6, "147 M")]
    [InlineData(3.24e6, "3.2 M")]
    [InlineData(850e3, "850 thousand")]
    [InlineData(12, "12")]
    public void Rate_IsNeverZeroMillions(double perSecond, string expected) => Assert.Equal(expected, RunJob.Rate(perSecond));
}
