namespace MarketSim.Tests;

/// <summary>
/// Issue 29, item 11: the report told users to run `marketsim calibrate calibration/default.yaml`, which fails from the
/// repository root (fitted_by is relative to the baseline file). It names the file from where compare was run.
/// </summary>
public class ReportPathTests
{
    [Fact]
    public void Report_NamesTheCalibrationFileRelativeToTheWorkingFolder()
    {
        string output = Compare.NewTempFolder();
        var r = Compare.RunCli(MarketSimProcess.RepositoryRoot, "compare", Path.Combine("scenarios", "jd-kuaishou-alliance.yaml"), "--agents", "2000",
            "--replications", "2", "--set", "calendar.steps=30", "--set", "calendar.burn_in_steps=0", "--out", output);
        Assert.True(r.ExitCode == 0, r.StdErr);
        string md = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("`marketsim calibrate scenarios/calibration/default.yaml`", md, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(MarketSimProcess.RepositoryRoot, "scenarios", "calibration", "default.yaml")));
    }
}
