using System.Text.RegularExpressions;
using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>
/// The scenarios' <c>assumptions:</c> section: every clause value of the default alliance and every baseline value that
/// is not fitted has a source or a plausible range there, and the validator holds each entry to the scenario (its path
/// exists, its range holds the scenario's value and lies inside the validator's limits).
/// </summary>
public class AssumptionsTests
{
    /// <summary>The sections whose values are beliefs about the market (run settings and targets are not).</summary>
    private static readonly string[] Believed =
        ["tiers", "platforms", "streamers", "interventions", "alliances", "calendar.festivals", "behaviour", "population.traits"];

    /// <summary>The paths the default calibration fits (its <c>parameters:</c>): fitted, not assumed.</summary>
    private static IReadOnlyList<string> Fitted()
    {
        var lines = File.ReadAllLines(Path.Combine(TempScenarios.RepositoryRoot, "scenarios", "calibration", "default.yaml"));
        return lines.SkipWhile(l => !l.StartsWith("parameters:", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => l.StartsWith(' ') || l.Length == 0)
            .Select(l => Regex.Match(l, @"^\s+([a-z0-9_.\-\[\]]+):").Groups[1].Value).Where(p => p.Length > 0).ToList();
    }

    /// <summary>Believed values of <paramref name="s"/> with neither a source nor a plausible range in its assumptions.</summary>
    internal static IReadOnlyList<string> Unsourced(Scenario s)
    {
        var fitted = Fitted();
        return ScenarioValues.Of(s)
            .Where(v => Believed.Any(v.IsUnder) && !fitted.Contains(v.Path))
            .Where(v => !s.Assumptions.Any(a => v.IsUnder(a.Key) && (a.Value.Source.Trim().Length > 0 || a.Value.Plausible.Count == 2)))
            .Select(v => v.Path).ToList();
    }

    [Fact]
    public void DefaultScenarios_EveryUnfittedValue_HasASourceOrAPlausibleRange()
    {
        Assert.Empty(Unsourced(LoadedScenarios.Baseline()));
        Assert.Empty(Unsourced(LoadedScenarios.Alliance()));
        // The calibration's paths are real, so "fitted" exempts what it should.
        Assert.Contains("interventions.jd_jingxi.add", Fitted());
    }

    [Fact]
    public void Alliance_EveryClauseValue_HasAnEntryOfItsOwn()
    {
        // A clause value is not covered by a section-wide source: each has its own line, with a plausible range unless
        // it is a date.
        var s = LoadedScenarios.Alliance();
        foreach (var v in ScenarioValues.Of(s).Where(v => v.IsUnder("alliances")))
        {
            // An item of a list (the co-promoted years) is a choice, sourced by one entry for its list.
            bool item = v.Path.EndsWith(']');
            string key = item ? v.Path[..v.Path.LastIndexOf('[')] : v.Path;
            Assert.True(s.Assumptions.TryGetValue(key, out var a), $"{key} has no assumptions entry of its own");
            if (v.IsNumber && !item) Assert.True(a!.Plausible.Count == 2, $"{v.Path} has no plausible range");
        }
    }

    [Fact]
    public void Unsourced_FindsAValueWhoseEntryIsRemoved()
    {
        var s = LoadedScenarios.Alliance();
        s.Assumptions.Remove("alliances.jd-kuaishou.supply[0].share");
        Assert.Equal(["alliances.jd-kuaishou.supply[0].share"], Unsourced(s));
        s = LoadedScenarios.Baseline();
        s.Assumptions.Remove("streamers");
        Assert.Contains("streamers.douyin_streamers.pull", Unsourced(s));
    }

    private static void Refused(Scenario s, string path, string message)
    {
        var issues = ScenarioValidator.Validate(s);
        Assert.True(issues.Any(i => i.Path == path && i.Message == message), $"expected {path}: {message}\ngot:\n{string.Join("\n", issues)}");
    }

    [Fact]
    public void Assumption_OfAPathThatDoesNotExist_IsRefused()
    {
        var s = LoadedScenarios.Alliance();
        s.Assumptions["alliances.jd-kuaishou.supply[0].shares"] = new AssumptionSpec { Source = "x" };
        Refused(s, "assumptions.alliances.jd-kuaishou.supply[0].shares",
            "names no value of a scenario: unknown key 'shares' in alliances.jd-kuaishou.supply[0]; did you mean 'share'?");
        s.Assumptions.Remove("alliances.jd-kuaishou.supply[0].shares");
        s.Assumptions["platforms.jd.reaches"] = new AssumptionSpec { Source = "x" };
        Refused(s, "assumptions.platforms.jd.reaches", "names no value of a scenario: unknown key 'reaches' in platforms.jd; did you mean 'reach'?");
        // An entry about what a derived scenario removed (a clause, a platform) speaks of nothing and is left alone.
        s.Assumptions.Remove("platforms.jd.reaches");
        s.Alliances["jd-kuaishou"].Supply.Clear();
        s.Alliances["jd-kuaishou"].Logistics.Clear();
        Assert.DoesNotContain(ScenarioValidator.Validate(s), i => i.Path.StartsWith("assumptions.", StringComparison.Ordinal));
    }

    [Fact]
    public void Assumption_WithNeitherSourceNorRange_IsRefused()
    {
        var s = LoadedScenarios.Alliance();
        s.Assumptions["alliances.jd-kuaishou.traffic[0].share"] = new AssumptionSpec();
        Refused(s, "assumptions.alliances.jd-kuaishou.traffic[0].share", "expected a source, a plausible range [low, high], or both");
    }

    [Fact]
    public void DefaultScenarios_EveryValue_LiesInsideItsPlausibleRange()
    {
        Assert.Empty(ScenarioValidator.OutsidePlausible(LoadedScenarios.Baseline()));
        Assert.Empty(ScenarioValidator.OutsidePlausible(LoadedScenarios.Alliance()));
    }

    [Fact]
    public void OutsidePlausible_NamesAValueOutsideItsRange_WhichStaysValid()
    {
        // A what-if may go past what is believed (it is not refused), but it is named.
        var s = LoadedScenarios.Alliance();
        s.Alliances["jd-kuaishou"].Supply[0].Share = 0.3;
        Assert.Empty(ScenarioValidator.Validate(s));
        Assert.Equal(["alliances.jd-kuaishou.supply[0].share: 0.3 lies outside its plausible range [0.01, 0.2] (assumptions.alliances.jd-kuaishou.supply[0].share)"],
            ScenarioValidator.OutsidePlausible(s).Select(i => i.ToString()));
        // A key above several values holds each of them: JD's reach in every tier.
        s = LoadedScenarios.Baseline();
        s.Platforms["jd"].Reach["t6"] = 0.4;
        Assert.Equal(["platforms.jd.reach.t6: 0.4 lies outside its plausible range [0.5, 1] (assumptions.platforms.jd.reach)"],
            ScenarioValidator.OutsidePlausible(s).Select(i => i.ToString()));
    }

    [Fact]
    public void Assumption_RangeBeyondTheValidatorsLimits_IsRefused_AndTheScenarioIsLeftAsItWas()
    {
        var s = LoadedScenarios.Alliance();
        s.Assumptions["alliances.jd-kuaishou.supply[0].share"].Plausible = [0.01, 1.5];
        Refused(s, "assumptions.alliances.jd-kuaishou.supply[0].share.plausible",
            "1.5 lies outside the validator's limits (alliances.jd-kuaishou.supply[0].share: expected a number in [0, 1], got 1.5)");
        Assert.Equal(0.05, s.Alliances["jd-kuaishou"].Supply[0].Share);
        s.Assumptions["alliances.jd-kuaishou.supply[0].share"].Plausible = [0.2, 0.01];
        Refused(s, "assumptions.alliances.jd-kuaishou.supply[0].share.plausible", "expected [low, high] with low ≤ high, got [0.2, 0.01]");
        s.Assumptions["alliances.jd-kuaishou.start"] = new AssumptionSpec { Plausible = [0, 1] };
        Refused(s, "assumptions.alliances.jd-kuaishou.start.plausible",
            "a plausible range is for numbers; alliances.jd-kuaishou.start is a date (give a source only)");
    }
}
