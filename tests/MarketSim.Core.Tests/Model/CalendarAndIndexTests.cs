using MarketSim.Model;

namespace MarketSim.Tests.Model;

/// <summary>
/// The model's date and index lookups that outputs and calibration targets rely on: which step holds a date, the
/// index of a platform id, and the agents the engine allocates. Written after mutation testing found no test running
/// them (docs/testing.md).
/// </summary>
public class CalendarAndIndexTests
{
    [Fact]
    public void StepContaining_MapsEveryDayOfAStepToIt_AndDaysOutsideTheRunToMinusOne()
    {
        // 10 weekly steps from Monday 2019-01-07: step k holds 2019-01-07 + 7k … + 7k + 6.
        var m = new MarketModel(TestScenarios.Small(agents: 2_000, steps: 10));
        var start = new DateOnly(2019, 1, 7);
        Assert.Equal(start, m.StepDate(0));
        Assert.Equal(-1, m.StepContaining(start.AddDays(-1)));
        Assert.Equal(0, m.StepContaining(start));
        Assert.Equal(0, m.StepContaining(start.AddDays(6)));
        Assert.Equal(1, m.StepContaining(start.AddDays(7)));
        Assert.Equal(4, m.StepContaining(start.AddDays(33)));
        Assert.Equal(9, m.StepContaining(start.AddDays(69)));
        Assert.Equal(-1, m.StepContaining(start.AddDays(70)));   // the day after the last step
        for (int k = 0; k < 10; k++) Assert.Equal(k, m.StepContaining(m.StepDate(k)));
    }

    [Fact]
    public void PlatformIndex_FollowsTheDimensions_AndUnknownIdsAreMinusOne()
    {
        var m = new MarketModel(TestScenarios.Small(agents: 2_000, steps: 2));
        for (int p = 0; p < m.P; p++) Assert.Equal(p, m.PlatformIndex(m.Dimensions.PlatformIds[p]));
        Assert.Equal(-1, m.PlatformIndex("no-such-platform"));
    }

    [Fact]
    public void ScenarioIndex_Of_FindsEachId_AndAnUnknownOneIsAnErrorNamingIt()
    {
        // Compiled clauses rely on validation; an id that slipped past it must fail loudly, not index platform 0.
        string[] ids = ["taobao", "jd", "pdd"];
        for (int i = 0; i < ids.Length; i++) Assert.Equal(i, ScenarioIndex.Of(ids, ids[i]));
        var e = Assert.Throws<ArgumentException>(() => ScenarioIndex.Of(ids, "kuaishou"));
        Assert.Equal("id", e.ParamName);
        Assert.StartsWith("unknown id 'kuaishou' (the scenario was not validated)", e.Message);
    }

    [Fact]
    public void TotalCapacity_IsEveryTiersCapacity_InitialAgentsPlusArrivals()
    {
        var m = new MarketModel(TestScenarios.Small(agents: 20_000, steps: 52));
        Assert.Equal(m.Capacity.Sum(), m.TotalCapacity);
        Assert.True(m.Capacity.Length > 1 && m.Capacity.All(c => c > 0));
        for (int t = 0; t < m.T; t++) Assert.True(m.Capacity[t] >= m.InitialAgents[t] + m.Arrivals[t].Sum(), $"tier {t}");
    }
}
