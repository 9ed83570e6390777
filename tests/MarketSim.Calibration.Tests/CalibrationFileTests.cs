using MarketSim.Calibration;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>Bad calibration files and bad targets files are refused with file, line, column and key, before anything runs.</summary>
public sealed class CalibrationFileTests
{
    private static (TinyCalibration Tiny, string Text) Fresh()
    {
        var tiny = new TinyCalibration(MarketSimProcess.NewTempFolder("marketsim-calibration"));
        return (tiny, File.ReadAllText(tiny.CalibrationPath));
    }

    private static ScenarioProblem Single(TinyCalibration tiny, string text)
    {
        File.WriteAllText(tiny.CalibrationPath, text);
        var loaded = CalibrationFile.Load(tiny.CalibrationPath);
        Assert.False(loaded.Ok);
        return Assert.Single(loaded.Problems);
    }

    [Fact]
    public void UnknownKey_IsReportedAtItsLineWithASuggestion()
    {
        var (tiny, text) = Fresh();
        var p = Single(tiny, text.Replace("holdout_after:", "holdout_afer:", StringComparison.Ordinal));
        Assert.Equal((tiny.CalibrationPath, 2, 1, "holdout_afer"), (p.File, p.Line, p.Column, p.Key));
        Assert.Contains("holdout_after", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadValues_NameTheirKeyAndLine()
    {
        var (tiny, text) = Fresh();
        var p = Single(tiny, text.Replace("max: 1.6}", "max: -1}", StringComparison.Ordinal));
        Assert.Equal((6, "parameters.platforms.pdd.brand.max"), (p.Line, p.Key));
        p = Single(tiny, text.Replace("platforms.pdd.brand:", "platforms.pdd.brnad:", StringComparison.Ordinal));
        Assert.Equal((6, "parameters.platforms.pdd.brnad"), (p.Line, p.Key));
        Assert.Contains("brand", p.Message, StringComparison.Ordinal);
        p = Single(tiny, text.Replace("min: 0.01, max: 0.16, scale: log", "min: 0, max: 0.16, scale: log", StringComparison.Ordinal));
        Assert.Equal("parameters.behaviour.attention.min", p.Key);
        p = Single(tiny, text.Replace("agents: 3000", "agents: many", StringComparison.Ordinal));
        Assert.Equal((3, "agents"), (p.Line, p.Key));
    }

    [Fact]
    public void HoldoutBeforeEveryTarget_LeavesNothingToFit()
    {
        var (tiny, text) = Fresh();
        var p = Single(tiny, text.Replace("holdout_after: 2019-09-30", "holdout_after: 2019-01-31", StringComparison.Ordinal));
        Assert.Equal("holdout_after", p.Key);
        Assert.Contains("no target is fitted", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadTargetCell_IsReportedAtTheCsvCell()
    {
        var (tiny, _) = Fresh();
        File.WriteAllText(tiny.TargetsPath, "period_end,platform,metric,value,unit,source\n" +
                                            "2019-03-31,jd,annual_active,310.5,millions,a\n" +
                                            "2019-06-30,jd,anual_active,321.3,millions,b\n" +
                                            "2019-09-30,jd,annual_active,lots,millions,c\n");
        var loaded = CalibrationFile.Load(tiny.CalibrationPath);
        Assert.False(loaded.Ok);
        // Binding problems come first (the number), then the model's rules (the metric): each at its own cell.
        var value = loaded.Problems.Single(p => p.Key == "calibration[2].value");
        Assert.Equal((4, 29), (value.Line, value.Column)); // "2019-09-30,jd,annual_active," is 28 characters
        Assert.EndsWith("targets.csv", value.File, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetRules_PointAtTheCsvCell()
    {
        var (tiny, _) = Fresh();
        File.WriteAllText(tiny.TargetsPath, "period_end,platform,metric,value,unit,source\n" +
                                            "2019-03-31,jd,annual_active,310.5,millions,a\n" +
                                            "2019-06-30,jd,anual_active,321.3,millions,b\n" +
                                            "2019-09-30,jd,users_share,60,share,c\n");
        var problems = CalibrationFile.Load(tiny.CalibrationPath).Problems;
        var metric = problems.Single(p => p.Key == "calibration[1].metric");
        Assert.Equal((3, 15), (metric.Line, metric.Column));
        Assert.Contains("annual_active", metric.Message, StringComparison.Ordinal);
        // users_share needs a tier subset and a share in (0, 1]: 60 is a percentage typed by mistake.
        Assert.Contains(problems, p => p.Key == "calibration[2].value" && p.Line == 4);
        Assert.Contains(problems, p => p.Key == "calibration[2].tiers");
    }

    [Fact]
    public void MalformedCsv_NamesTheLine()
    {
        var (tiny, _) = Fresh();
        File.WriteAllText(tiny.TargetsPath, "period_end,platform,metric,value,unit,colour\n2019-03-31,jd,annual_active,310.5,millions\n");
        var problems = CalibrationFile.Load(tiny.CalibrationPath).Problems;
        var column = Assert.Single(problems);
        Assert.Equal((1, 39, "colour"), (column.Line, column.Column, column.Key));
        File.WriteAllText(tiny.TargetsPath, "period_end,platform,metric,value,unit,source\n2019-03-31,jd,annual_active,310.5,millions\n");
        var row = Assert.Single(CalibrationFile.Load(tiny.CalibrationPath).Problems);
        Assert.Equal(2, row.Line);
        Assert.Contains("expected 6 fields", row.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_BadCalibrationFile_ExitsTwoWithFileLineAndKey()
    {
        var (tiny, text) = Fresh();
        File.WriteAllText(tiny.CalibrationPath, text.Replace("replications: 1", "replications: 0", StringComparison.Ordinal));
        var r = MarketSimProcess.Run(tiny.Folder, "calibrate", "tiny-calibration.yaml", "--out", "out");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: tiny-calibration.yaml:4:1: replications: expected a whole number from 1 to 64, got 0", r.StdErr.Trim());
        Assert.False(Directory.Exists(Path.Combine(tiny.Folder, "out")));
    }
}
