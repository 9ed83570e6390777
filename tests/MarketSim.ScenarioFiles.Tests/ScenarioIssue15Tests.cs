using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>Issue 15: co-promoted festivals must fall in the alliance, titles are not inherited, suggestions for short ids.</summary>
public sealed class ScenarioIssue15Tests : IDisposable
{
    private readonly TempScenarios files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Load_AllianceAYearLaterCoPromotingA2020OnlyFestival_IsRefusedWithTheFestivalsPosition()
    {
        // Kuaishou 616 is dated 16 June 2020 only: an alliance from 2021 would co-promote nothing (issue 13: the year
        // the scenario names is where the problem is; with every_occurrence the festival itself is).
        var path = files.Write("later.yaml", "extends: jd-kuaishou-alliance.yaml", "name: later", "alliances:", "  jd-kuaishou:", "    start: 2021-05-27");
        var result = ScenarioLoader.Load(path, new Dictionary<string, string> { ["calendar.steps"] = "200" });
        // Two at the co-promotion's year, and the 616's launch, now before the alliance (LaunchClauseTests).
        Assert.Equal(3, result.Problems.Count);
        Assert.Single(result.Problems, p => p.Key == "alliances.jd-kuaishou.launch.festivals[0]");
        Assert.Equal(2, result.Problems.Count(p => p.Key == "alliances.jd-kuaishou.co_promotion.years[0]"));
        Assert.Contains(result.Problems, p => p.Message.StartsWith("the 2020-06-16 occurrence of festival 'kuaishou_616' is before the alliance's start (2021-05-27", StringComparison.Ordinal));
        Assert.All(result.Problems, p => Assert.EndsWith("jd-kuaishou-alliance.yaml", p.File));

        var every = ScenarioLoader.Load(path, new Dictionary<string, string>
        {
            ["calendar.steps"] = "200",
            ["alliances.jd-kuaishou.co_promotion.years"] = "~",
            ["alliances.jd-kuaishou.co_promotion.every_occurrence"] = "true",
        });
        var problem = Assert.Single(every.Problems, p => !p.Key.Contains("launch", StringComparison.Ordinal));
        Assert.Equal("alliances.jd-kuaishou.co_promotion.festivals[0]", problem.Key);
        Assert.Contains("festival 'kuaishou_616' has no occurrence between 2021-05-27", problem.Message);
    }

    [Fact]
    public void Load_ShortenedRunEndingBeforeTheFestival_StaysValid()
    {
        // The alliance's period counts, not the run's: cutting the run to 75 steps (mid-June 2020) is no mistake.
        var result = ScenarioLoader.Load(files.Alliance, new Dictionary<string, string> { ["calendar.steps"] = "75" });
        Assert.True(result.Ok, string.Join("\n", result.Problems));
    }

    [Fact]
    public void Title_IsReadAndNotInheritedThroughExtends()
    {
        var alliance = ScenarioLoader.Load(files.Alliance);
        Assert.Equal("JD.com–Kuaishou alliance", alliance.Scenario!.DisplayName());
        var child = files.Write("more.yaml", "extends: jd-kuaishou-alliance.yaml", "name: more-traffic");
        Assert.Equal("more-traffic", ScenarioLoader.Load(child).Scenario!.DisplayName());
    }

    [Theory]
    [InlineData("t7", "")]
    [InlineData("kuaishu", "; did you mean 'kuaishou'?")]
    [InlineData("jdd", "; did you mean 'jd'?")]
    public void KeySuggestions_ShortIdsAreNotSuggestedForOtherShortIds(string key, string expected) =>
        Assert.Equal(expected, KeySuggestions.For(key, ["t1", "t2", "t3", "jd", "pdd", "kuaishou"], listWhenFar: false));
}
