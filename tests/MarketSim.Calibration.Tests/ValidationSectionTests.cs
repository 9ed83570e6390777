using MarketSim.Calibration;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>The <c>validation:</c> section is checked before anything runs; each problem names file, line and key.</summary>
public sealed class ValidationSectionTests
{
    private static ScenarioProblem Single(TinyValidation tiny, string from, string to)
    {
        Assert.Contains(from, tiny.Text, StringComparison.Ordinal);
        File.WriteAllText(tiny.CalibrationPath, tiny.Text.Replace(from, to, StringComparison.Ordinal));
        var loaded = CalibrationFile.Load(tiny.CalibrationPath);
        Assert.False(loaded.Ok);
        var p = Assert.Single(loaded.Problems);
        Assert.Equal(tiny.CalibrationPath, p.File);
        return p;
    }

    private static TinyValidation Fresh(bool subsidy = false) => new(MarketSimProcess.NewTempFolder("marketsim-validation"), subsidy: subsidy);

    [Fact]
    public void TheTinyValidation_Loads_WithItsPlan()
    {
        var plan = Fresh(subsidy: true).Load().Validation!;
        Assert.Equal([new DateOnly(2018, 6, 30), new DateOnly(2018, 12, 31)], plan.Origins);
        Assert.Equal(2, plan.Horizons);
        Assert.Equal((4, 6, 0ul + 5), (plan.Budget.GlobalPoints, plan.Budget.LocalEvaluations, plan.Budget.DesignSeed));
        Assert.Equal([null, null, new DateOnly(2019, 6, 1)], plan.EffectStarts);
        Assert.Equal([false, false, true], plan.HeldDeclared);
        Assert.Equal(0.2, plan.HeldValues[2]);
        Assert.Null(new TinyCalibration(MarketSimProcess.NewTempFolder("marketsim-validation")).Load().Validation);
    }

    [Theory]
    [InlineData("[2018-06-30, 2018-12-31]", "[2018-12-31, 2018-06-30]", "validation.origins[1]", 25, "ascending")]
    [InlineData("[2018-06-30, 2018-12-31]", "[2018-06-15, 2018-12-31]", "validation.origins[0]", 13, "last day of a quarter")]
    [InlineData("[2018-06-30, 2018-12-31]", "[2018-06-30, 2019-06-30]", "validation.origins[1]", 25, "before holdout_after (2019-06-30)")]
    [InlineData("[2018-06-30, 2018-12-31]", "[2017-03-31, 2018-12-31]", "validation.origins[0]", 13, "no fitted figure is dated up to 2017-03-31")]
    public void Origins_OutOfOrderOffQuarterAfterHoldoutOrBeforeTheTargets_AreRefusedAtTheirItem(string from, string to, string key, int column, string message)
    {
        var p = Single(Fresh(), from, to);
        Assert.Equal((10, column, key), (p.Line, p.Column, p.Key));
        Assert.Contains(message, p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Origin_WithNothingToForecastBeforeHoldout_IsRefused()
    {
        var tiny = Fresh();
        var p = Single(tiny, "holdout_after: 2019-06-30", "holdout_after: 2019-01-31");
        Assert.Equal("validation.origins[1]", p.Key);
        Assert.Contains("no figure to forecast within 2 quarters after 2018-12-31 (up to holdout_after, 2019-01-31)", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HorizonsBudgetAndHeld_AreCheckedAtTheirKeys()
    {
        var p = Single(Fresh(), "horizons: 2", "horizons: 0");
        Assert.Equal((11, "validation.horizons"), (p.Line, p.Key));
        p = Single(Fresh(), "local_evaluations: 6, design_seed: 5", "local_evaluations: 6, local_starts: 9");
        Assert.Equal((12, "validation.budget.local_starts"), (p.Line, p.Key));
        Assert.Contains("validation.budget.global_points (4)", p.Message, StringComparison.Ordinal);
        p = Single(Fresh(true), "held: {interventions.pdd_ten_billion_subsidy.add: 0.2}", "held: {platforms.taobao.basket: 1}");
        Assert.Equal((14, "validation.held.platforms.taobao.basket"), (p.Line, p.Key));
        Assert.Contains("fitted parameter", p.Message, StringComparison.Ordinal);
        p = Single(Fresh(true), "held: {interventions.pdd_ten_billion_subsidy.add: 0.2}", "held: {interventions.pdd_ten_billion_subsidy.add: 0.9}");
        Assert.Equal("validation.held.interventions.pdd_ten_billion_subsidy.add", p.Key);
        Assert.Contains("within the parameter's bounds [0, 0.5]", p.Message, StringComparison.Ordinal);
        // A parameter acting from the run's start is fitted at every origin: a held value for it is a mistake.
        p = Single(Fresh(true), "held: {interventions.pdd_ten_billion_subsidy.add: 0.2}", "held: {platforms.pdd.adoption_imitation: 0.1}");
        Assert.Equal("validation.held.platforms.pdd.adoption_imitation", p.Key);
        Assert.Contains("fitted at every origin", p.Message, StringComparison.Ordinal);
        p = Single(Fresh(), "origins: [", "orgins: [");
        Assert.Equal((10, "validation.orgins"), (p.Line, p.Key));
    }

    [Fact]
    public void Cli_ValidateWithoutASection_ExitsTwo_AndWritesNothing()
    {
        var tiny = new TinyCalibration(MarketSimProcess.NewTempFolder("marketsim-validation"));
        var r = MarketSimProcess.Run(tiny.Folder, "calibrate", "tiny-calibration.yaml", "--validate", "--out", "out");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: tiny-calibration.yaml: --validate needs a validation: section (origins, horizons, budget; docs/calibration.md)", r.StdErr.Trim());
        Assert.False(Directory.Exists(Path.Combine(tiny.Folder, "out")));
    }

    [Fact]
    public void Cli_Validate_WritesValidationParquetAndTheReportSection()
    {
        var tiny = new TinyValidation(MarketSimProcess.NewTempFolder("marketsim-validation"), globalPoints: 2, localEvaluations: 0);
        var r = MarketSimProcess.Run(tiny.Folder, "calibrate", "tiny-validation.yaml", "--validate", "--out", "out");
        Assert.True(r.ExitCode == 0, r.StdErr);
        string outFolder = Path.Combine(tiny.Folder, "out");
        Assert.True(File.Exists(Path.Combine(outFolder, "validation.parquet")));
        Assert.True(File.Exists(Path.Combine(outFolder, "validation", "origin-2018-12-31", "calibrated.yaml")));
        string report = File.ReadAllText(Path.Combine(outFolder, "report.md"));
        Assert.Contains("How far to trust a forecast: rolling-origin validation", report, StringComparison.Ordinal);
        Assert.Contains("| JD.com annual active |", report, StringComparison.Ordinal);
        Assert.Contains("Validation, jd annual active, 1 q ahead", r.StdOut, StringComparison.Ordinal);
    }
}
