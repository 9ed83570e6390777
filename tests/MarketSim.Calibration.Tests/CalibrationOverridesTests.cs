using MarketSim.Calibration;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>
/// <c>calibrate --agents N --set path=value</c>: the values hold for every evaluation and reach calibrated.yaml, so that
/// it is the scenario that was fitted; values the fit would overwrite or that calibrated.yaml cannot carry are refused.
/// </summary>
public sealed class CalibrationOverridesTests
{
    private static CalibrationLoadResult Load(TinyCalibration tiny, long? agents, params string[] sets)
    {
        var errors = new List<string>();
        var overrides = ScenarioOverrides.FromOptions(agents, null, sets, errors);
        Assert.Empty(errors);
        return CalibrationFile.Load(tiny.CalibrationPath, null, overrides);
    }

    [Fact]
    public void Settings_ReachEveryEvaluationsScenario_AndAgentsReplaceTheFiles()
    {
        var tiny = new TinyCalibration(MarketSimProcess.NewTempFolder("marketsim-calibration"));
        var plain = Load(tiny, null);
        var set = Load(tiny, 2000, "behaviour.inertia=3.5");
        Assert.True(set.Ok, string.Join("\n", set.Problems));
        var problem = set.Problem!;
        Assert.Equal(2000, problem.Agents);
        Assert.Equal(3000, plain.Problem!.Agents);
        Assert.Equal([("behaviour.inertia", "3.5")], problem.Settings);
        // The base every evaluation loads is the scenario with the setting; the evaluation log's fingerprint tells
        // the two calibrations apart, so a folder fitted without it is not resumed with it.
        var scenario = ScenarioLoader.LoadText(problem.BaseYaml, "tiny.yaml", tiny.Folder).Scenario!;
        Assert.Equal(3.5, scenario.Behaviour.Inertia);
        Assert.NotEqual(3.5, ScenarioLoader.LoadText(plain.Problem.BaseYaml, "tiny.yaml", tiny.Folder).Scenario!.Behaviour.Inertia);
        Assert.NotEqual(plain.Problem.Fingerprint, problem.Fingerprint);
    }

    [Theory]
    [InlineData("behaviour.attention=0.05", "parameters.behaviour.attention is fitted")]        // the fit overwrites it
    [InlineData("platforms.pdd=0.5", "parameters.platforms.pdd.brand is fitted")]              // a parent of a fitted path
    [InlineData("alliances.a.traffic[0].share=0.5", "without list indices")]                  // extends replaces lists
    [InlineData("population.agents=5000", "set with --agents")]
    [InlineData("behaviour.atention=0.05", "attention")]                                       // unknown key, with a suggestion
    public void Settings_ThatCannotHold_AreRefusedNamingTheOption(string set, string expected)
    {
        var tiny = new TinyCalibration(MarketSimProcess.NewTempFolder("marketsim-calibration"));
        var loaded = Load(tiny, null, set);
        Assert.False(loaded.Ok);
        var p = Assert.Single(loaded.Problems);
        Assert.Equal("--set " + set, p.File);
        Assert.Contains(expected, p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Agents_OutsideTheRange_AreRefusedNamingTheOption()
    {
        var tiny = new TinyCalibration(MarketSimProcess.NewTempFolder("marketsim-calibration"));
        var p = Assert.Single(Load(tiny, 5).Problems);
        Assert.Equal("--agents 5", p.File);
        Assert.Contains($"from {CalibrationFile.MinAgents}", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_CalibratedYaml_CarriesTheSettings_AndAFittedPathExitsTwo()
    {
        var tiny = new TinyCalibration(MarketSimProcess.NewTempFolder("marketsim-calibration"), agents: 1000, globalPoints: 2, localEvaluations: 0);
        var bad = MarketSimProcess.Run(tiny.Folder, "calibrate", "tiny-calibration.yaml", "--out", "bad", "--set", "behaviour.attention=0.05");
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("error: --set behaviour.attention=0.05: behaviour.attention: parameters.behaviour.attention is fitted", bad.StdErr.Trim(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(tiny.Folder, "bad")));

        var r = MarketSimProcess.Run(tiny.Folder, "calibrate", "tiny-calibration.yaml", "--out", "out", "--agents", "800", "--set", "behaviour.inertia=3.5");
        Assert.True(r.ExitCode == 0, r.StdErr);
        string calibrated = Path.Combine(tiny.Folder, "out", "calibrated.yaml");
        string text = File.ReadAllText(calibrated);
        Assert.Contains("800 agents", text, StringComparison.Ordinal);
        Assert.Contains("as given to --set, behaviour.inertia", text, StringComparison.Ordinal);
        // Loaded as a user would: the setting and the fitted value, one behaviour block.
        var loaded = ScenarioLoader.Load(calibrated);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        Assert.Equal(3.5, loaded.Scenario!.Behaviour.Inertia);
        Assert.InRange(loaded.Scenario.Behaviour.Attention, 0.01, 0.16);
    }
}
