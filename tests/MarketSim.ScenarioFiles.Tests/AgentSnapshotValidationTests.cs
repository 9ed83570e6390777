using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary><c>outputs.agent_snapshots</c>: every mistake names its key and line before anything runs.</summary>
public sealed class AgentSnapshotValidationTests : IDisposable
{
    private readonly TempScenarios files = new();

    public void Dispose() => files.Dispose();

    [Theory]
    // The baseline runs 156 weekly steps from 2018-12-31: its last step ends on 2021-12-26.
    [InlineData("{dates: [2017-06-25]}", "outputs.agent_snapshots.dates[0]", "a date inside the run, 2017-06-26 to 2021-12-26")]
    [InlineData("{dates: [2019-03-01, 2030-01-01]}", "outputs.agent_snapshots.dates[1]", "a date inside the run")]
    [InlineData("{dates: [2019-03-04, 2019-03-06]}", "outputs.agent_snapshots.dates[1]", "same 7-day step as 2019-03-04")]
    [InlineData("{dates: [2019-03-04], sample: 0}", "outputs.agent_snapshots.sample", "a fraction of agents in (0, 1]")]
    [InlineData("{dates: [2019-03-04], sample: 1.5}", "outputs.agent_snapshots.sample", "a fraction of agents in (0, 1]")]
    [InlineData("{dates: [2019-03-04], sampel: 0.1}", "outputs.agent_snapshots.sampel", "did you mean 'sample'")]
    public void Load_BadAgentSnapshots_NamesTheKeyAndLine(string value, string key, string expected)
    {
        var path = files.Write("snap.yaml", "extends: baseline.yaml", "name: snap", "outputs:", "  agent_snapshots: " + value);

        var result = ScenarioLoader.Load(path);

        Assert.False(result.Ok);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(key, problem.Key);
        Assert.Equal(4, problem.Line);
        Assert.Contains(expected, problem.Message);
    }

    [Fact]
    public void Load_GoodAgentSnapshots_AreBound()
    {
        var path = files.Write("snap.yaml", "extends: baseline.yaml", "name: snap", "outputs:",
            "  agent_snapshots: {dates: [2019-03-04, 2020-06-18], sample: 0.25}");

        var result = ScenarioLoader.Load(path);

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal([new DateOnly(2019, 3, 4), new DateOnly(2020, 6, 18)], result.Scenario!.Outputs.AgentSnapshots.Dates);
        Assert.Equal(0.25, result.Scenario.Outputs.AgentSnapshots.Sample);
    }
}
