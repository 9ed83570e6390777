using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>
/// Dates that parse but that the model cannot take (its festival windows reach a year before the start and lead days
/// before each festival; its steps run start + steps × step_days): a validation problem naming the key, never a crash
/// when the model is built.
/// </summary>
public sealed class EdgeDateTests : IDisposable
{
    private readonly TempScenarios files = new();

    public void Dispose() => files.Dispose();

    public static TheoryData<string, string> Cases => new()
    {
        { "calendar: {start: 0001-01-01}", "calendar.start" },
        { "calendar: {start: 9999-12-27}", "calendar.start" },
        { "calendar: {start: 2999-01-07}", "calendar.start" },
        { "calendar: {start: 2990-01-07, steps: 5200, step_days: 31}", "calendar.start" },
        { "calendar: {festivals: {early: {dates: [0001-01-02], lead_days: 5}}}", "calendar.festivals.early.dates[0]" },
        { "calendar: {festivals: {late: {dates: [9999-12-31]}}}", "calendar.festivals.late.dates[0]" },
        { "interventions: {pdd_ten_billion_subsidy: {start: 9999-12-31}}", "interventions.pdd_ten_billion_subsidy.start" },
        { "interventions: {pdd_ten_billion_subsidy: {end: 9999-12-31}}", "interventions.pdd_ten_billion_subsidy.end" },
        { "alliances: {jd-kuaishou: {start: 0001-01-01}}", "alliances.jd-kuaishou.start" },
        { "calibration: [{date: 0001-01-01, platform: all, metric: online_shoppers, value: 1, unit: millions}]", "calibration[0].date" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_DateOutsideTheModelsRange_IsAProblemAtTheKey(string yaml, string key)
    {
        var path = files.Write("dates.yaml", "extends: jd-kuaishou-alliance.yaml", "name: dates", yaml);

        var result = ScenarioLoader.Load(path);

        Assert.False(result.Ok);
        var problem = Assert.Single(result.Problems, p => p.Key == key);
        Assert.Equal(path, problem.File);
        Assert.True(problem.Line >= 3, problem.ToString());
    }

    [Theory]
    [InlineData("1900-01-01", 52)]
    [InlineData("2990-01-07", 156)]
    public void Load_DatesAtTheEdgesOfTheRange_BuildAModel(string start, int steps)
    {
        // The other side of the rule: the limits themselves are usable dates, and the model builds from them.
        var path = files.Write("edge.yaml", "extends: baseline.yaml", "name: edge",
            $"calendar: {{start: {start}, steps: {steps}}}", "interventions: ~", "calibration: []");

        var result = ScenarioLoader.Load(path);

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var model = new MarketSim.Model.MarketModel(result.Scenario!);
        Assert.True(model.StepDate(steps) <= ScenarioLimits.MaxDate.AddDays(1));
    }
}
