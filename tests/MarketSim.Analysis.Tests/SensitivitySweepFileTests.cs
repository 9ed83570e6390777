using MarketSim.Sweeps;

namespace MarketSim.Tests;

/// <summary>The sweep file's sensitivity keys: designs, named outputs, effect_of, analysis; problems as file:line:column: key.</summary>
public sealed class SensitivitySweepFileTests : IDisposable
{
    private readonly string _folder = MarketSimProcess.NewTempFolder("marketsim-analysis-tests");

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    internal const string Valid = """
        name: sens
        scenario: SCENARIO
        parameters:
          alliances.jd-kuaishou.traffic[0].share: {min: 0.1, max: 0.6}
          behaviour.attention: {min: 0.02, max: 0.08}
          behaviour.inertia: {min: 2, max: 4}
        design: {type: saltelli, base: 8}
        replications: 2
        agents: 3000
        overrides: {population.cohorts_per_tier: 64, calendar.start: 2020-04-06, calendar.steps: 20}
        effect_of: alliances.jd-kuaishou
        outputs:
          metrics: true
          jd_gain: {metric: annual_active, platforms: [jd], tiers: [t3, t4, t5, t6], at: end}
          ks_share: {metric: primary_share, platforms: [kuaishou], from: 2020-06-01, to: 2020-07-31}
        analysis: {after_sweep: true, bootstrap: 100}
        """;

    private string Write(string yaml)
    {
        string path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, yaml.Replace("SCENARIO", MarketSimProcess.Scenario("jd-kuaishou-alliance.yaml")));
        return path;
    }

    [Fact]
    public void Load_SaltelliWithEffect_PointsAreNTimesKPlus2AndOutputsParsed()
    {
        var loaded = SweepFile.Load(Write(Valid));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var spec = loaded.Spec!;
        Assert.Equal(DesignType.Saltelli, spec.Design.Type);
        Assert.Equal(8 * (3 + 2), spec.Design.Points);
        var plan = new SweepPlan(spec, "t");
        Assert.Equal(80, plan.Runs.Count);
        Assert.Equal(["alliances.jd-kuaishou"], spec.Baseline);
        Assert.Equal(["jd_gain", "ks_share"], spec.NamedOutputs.Select(o => o.Name));
        Assert.Equal(["t3", "t4", "t5", "t6"], spec.NamedOutputs[0].Tiers);
        Assert.True(spec.NamedOutputs[1].IsPeriod);
        Assert.Equal(["jd_gain", "jd_gain_scenario", "jd_gain_baseline", "ks_share", "ks_share_scenario", "ks_share_baseline"], SummaryTable.OutputColumns(spec));
        Assert.True(spec.Analysis!.AfterSweep);
        Assert.Equal(100, spec.Analysis.Bootstrap);
        // Every run of point p has the point's values; A_B^j differs from A only in column j.
        var a = plan.Runs[0].Values;
        var ab1 = plan.Runs[2 * 2].Values; // point 2 = A_B^2 (behaviour.attention), replication 0
        Assert.Equal(a[0], ab1[0]);
        Assert.NotEqual(a[1], ab1[1]);
        Assert.Equal(a[2], ab1[2]);
        Assert.Contains("design: {type: saltelli, points: 40, base: 8, second_order: false}", plan.ResolvedYaml());
        Assert.Contains("effect_of: [alliances.jd-kuaishou]", plan.ResolvedYaml());
    }

    [Fact]
    public void Load_SecondOrderAndMorris_DerivePoints()
    {
        var second = SweepFile.Load(Write(Valid.Replace("{type: saltelli, base: 8}", "{type: saltelli, base: 8, second_order: true}")));
        Assert.True(second.Ok, string.Join("\n", second.Problems));
        Assert.Equal(8 * (2 * 3 + 2), second.Spec!.Design.Points);
        var morris = SweepFile.Load(Write(Valid.Replace("{type: saltelli, base: 8}", "{type: morris, trajectories: 5, levels: 6, seed: 9}")));
        Assert.True(morris.Ok, string.Join("\n", morris.Problems));
        Assert.Equal(5 * 4, morris.Spec!.Design.Points);
        var plan = new SweepPlan(morris.Spec, "t");
        // On the 6-level grid of [0.1, 0.6]: 0.1, 0.2, …, 0.6.
        var traffic = plan.Runs.Select(r => (double)r.Values[0]).Distinct().ToArray();
        Assert.All(traffic, v => Assert.Contains(Math.Round(v, 12), new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 }));
    }

    [Theory]
    [InlineData("design: {type: saltelli, base: 8}", "design: {type: saltelli, points: 40}", 7, "design.points", "derived")]
    [InlineData("design: {type: saltelli, base: 8}", "design: {type: saltelli, base: 8, seed: 3}", 7, "design.seed", "plain Sobol")]
    [InlineData("design: {type: saltelli, base: 8}", "design: {type: morris, trajectories: 5, levels: 5}", 7, "design.levels", "even")]
    [InlineData("design: {type: saltelli, base: 8}", "design: {type: morris, base: 5}", 7, "design.base", "trajectories:")]
    [InlineData("design: {type: saltelli, base: 8}", "design: {type: saltely, base: 8}", 7, "design.type", "saltelli")]
    [InlineData("effect_of: alliances.jd-kuaishou", "effect_of: alliances.jd-kuaisho", 11, "effect_of", "did you mean 'jd-kuaishou'")]
    [InlineData("effect_of: alliances.jd-kuaishou", "effect_of: alliances.jd-kuaishou.trafic", 11, "effect_of", "clauses are")]
    [InlineData("platforms: [jd], tiers", "platforms: [jdd], tiers", 14, "outputs.jd_gain.platforms", "no platform 'jdd'")]
    [InlineData("{metric: annual_active, platforms: [jd]", "{metric: annual_actve, platforms: [jd]", 14, "outputs.jd_gain.metric", "annual_active")]
    [InlineData("at: end}", "at: 2030-01-01}", 14, "outputs.jd_gain", "outside the scenario's calendar")]
    [InlineData("from: 2020-06-01, to: 2020-07-31", "from: 2020-08-01, to: 2020-07-31", 15, "outputs.ks_share", "after to")]
    [InlineData("from: 2020-06-01, to: 2020-07-31", "to: 2020-07-31", 15, "outputs.ks_share", "both from: and to:")]
    [InlineData("analysis: {after_sweep: true, bootstrap: 100}", "analysis: {after_sweep: true, bootstraps: 100}", 16, "analysis.bootstraps", "did you mean 'bootstrap'")]
    [InlineData("analysis: {after_sweep: true, bootstrap: 100}", "analysis: {after_sweep: true, bootstrap: 3}", 16, "analysis.bootstrap", "10 to 100000")]
    [InlineData("  alliances.jd-kuaishou.traffic[0].share: {min: 0.1, max: 0.6}", "  alliances.jd-kuaishou.traffic[0].share: {values: [0.1, 0.6]}", 4, "parameters.alliances.jd-kuaishou.traffic[0].share", "needs a range")]
    public void Load_BadSensitivityKeys_ProblemAtFileLineWithKey(string from, string to, int line, string key, string message)
    {
        Assert.Contains(from, Valid);
        string path = Write(Valid.Replace(from, to));
        var loaded = SweepFile.Load(path, "my.yaml");
        Assert.False(loaded.Ok);
        var problem = Assert.Single(loaded.Problems, p => p.Key == key);
        Assert.Equal("my.yaml", problem.File);
        Assert.Equal(line, problem.Line);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void Load_EffectWithoutOutputs_IsRefused()
    {
        string yaml = Valid[..Valid.IndexOf("outputs:", StringComparison.Ordinal)];
        var loaded = SweepFile.Load(Write(yaml));
        Assert.Contains(loaded.Problems, p => p.Key == "effect_of" && p.Message.Contains("named outputs", StringComparison.Ordinal));
    }
}
