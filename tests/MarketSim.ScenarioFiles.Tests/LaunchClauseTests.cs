using MarketSim.Model;
using MarketSim.ScenarioFiles;
using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>
/// An event the alliance creates (the 2020 Kuaishou 616) is a clause of the alliance, <c>launch</c>: the festival is held
/// only with it, switching the clause (or the alliance) off takes the festival with it, and a launch that could own
/// nothing, or something that is not its own, is refused where it is written.
/// </summary>
public sealed class LaunchClauseTests : IDisposable
{
    private readonly TempScenarios files = new();

    public void Dispose() => files.Dispose();

    private const string Launch = "alliances.jd-kuaishou.launch";

    private (string Path, ScenarioLoadResult Result) Child(params string[] extra)
    {
        string[] lines = ["extends: jd-kuaishou-alliance.yaml", "name: child", .. extra];
        var path = files.Write("child.yaml", lines);
        return (path, ScenarioLoader.Load(path));
    }

    private static Scenario Alliance(TempScenarios files)
    {
        var result = ScenarioLoader.Load(files.Alliance);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        return result.Scenario!;
    }

    /// <summary>Share of the days of the step holding 2020-06-16 inside the 616 window, as the model computes it.</summary>
    private static double Fraction616(Scenario s)
    {
        var model = new MarketModel(s);
        int step = (new DateOnly(2020, 6, 16).DayNumber - s.Calendar.Start.DayNumber) / s.Calendar.StepDays;
        var c = new StepConditions(model.T, model.P, s.Streamers.Count);
        model.Conditions(step, c);
        return c.FestivalFraction("kuaishou_616");
    }

    [Fact]
    public void DefaultAlliance_LaunchesThe616_AndItIsHeldOnlyWithTheClause()
    {
        var s = Alliance(files);
        Assert.Equal(["kuaishou_616"], s.Alliances["jd-kuaishou"].Launch!.Festivals);
        Assert.Equal("kuaishou", s.Calendar.Festivals["kuaishou_616"].Platform);
        Assert.True(Fraction616(s) > 0);
        Assert.Contains(Launch, ScenarioClauses.AddedClauses(s, new Scenario()));

        // Off: the festival leaves the calendar with the clause, and the co-promotion keeps only its 618.
        ScenarioClauses.SwitchOff(s, Launch);
        Assert.Null(s.Alliances["jd-kuaishou"].Launch);
        Assert.False(s.Calendar.Festivals.ContainsKey("kuaishou_616"));
        Assert.Equal(0, Fraction616(s));
        Assert.All(ScenarioMilestones.CoPromoted(s, s.Alliances["jd-kuaishou"], 2019, 2022), o => Assert.Equal("618", o.FestivalId));
    }

    [Fact]
    public void TheLaunchedFestival_RaisesKuaishousSpend_AndOffItDoesNot()
    {
        // April to August 2020 at a small size: with the launch, the 616 step's Kuaishou GMV is higher under common random
        // numbers (its own festival: ×1.3 on its primary users and streams over 4 of the step's 7 days).
        static (long Kuaishou, long Step) Gmv(Scenario s)
        {
            s.Calendar.Start = new DateOnly(2020, 4, 6);
            s.Calendar.Steps = 20;
            s.Population.Agents = 20_000;
            var model = new MarketModel(s);
            var sim = new MarketSim.Engine.Simulation(model, 1);
            int k = model.PlatformIndex("kuaishou"), step = (new DateOnly(2020, 6, 16).DayNumber - s.Calendar.Start.DayNumber) / 7;
            long total = 0, atStep = 0;
            while (!sim.Done)
            {
                var m = sim.Step();
                long g = 0;
                for (int t = 0; t < model.T; t++) g += m.GmvFen[t * model.P + k];
                total += g;
                if (m.Step == step) atStep = g;
            }
            return (total, atStep);
        }
        var on = Gmv(Alliance(files));
        var without = Alliance(files);
        ScenarioClauses.SwitchOff(without, Launch);
        var off = Gmv(without);
        Assert.True(on.Step > off.Step, $"Kuaishou GMV in the 616 step: {on.Step} with the launch, {off.Step} without");
    }

    [Fact]
    public void SwitchingTheWholeAllianceOff_TakesItsLaunchedFestivalToo()
    {
        var s = Alliance(files);
        ScenarioClauses.SwitchOff(s, "alliances.jd-kuaishou");
        Assert.False(s.Calendar.Festivals.ContainsKey("kuaishou_616"));
        Assert.True(s.Calendar.Festivals.ContainsKey("618"));
    }

    [Fact]
    public void ALaunchedFestivalNotMarkedWhatIf_IsRefusedAtTheLaunch()
    {
        var (_, result) = Child("calendar:", "  festivals:", "    kuaishou_616: {what_if: false}");
        var problem = Assert.Single(result.Problems);
        Assert.Equal(Launch + ".festivals[0]", problem.Key);
        Assert.Contains("mark it what_if: true", problem.Message);
    }

    [Fact]
    public void ALaunchOfAFestivalThatRecurs_OrOfAnUnknownOne_IsRefused()
    {
        var (_, recurring) = Child("alliances:", "  jd-kuaishou:", "    launch: {festivals: [\"618\"], source: s}");
        Assert.Contains(recurring.Problems, p => p.Key == Launch + ".festivals[0]" && p.Message.Contains("recurs every year", StringComparison.Ordinal));
        var (_, unknown) = Child("alliances:", "  jd-kuaishou:", "    launch: {festivals: [kuaishou_626], source: s}");
        Assert.Contains(unknown.Problems, p => p.Key == Launch + ".festivals[0]" && p.Message.Contains("kuaishou_616", StringComparison.Ordinal));
    }

    [Fact]
    public void ALaunchBeforeTheAllianceExists_OrWithoutASource_IsRefused()
    {
        // The alliance moved to 2021: its 2020 launch would precede it (the co-promotion's own check says so too).
        var (_, early) = Child("alliances:", "  jd-kuaishou:", "    start: 2020-06-15");
        Assert.Contains(early.Problems, p => p.Key == Launch + ".festivals[0]" && p.Message.Contains("outside the alliance's period", StringComparison.Ordinal));
        var (_, unsourced) = Child("alliances:", "  jd-kuaishou:", "    launch: {source: \"\"}");
        var problem = Assert.Single(unsourced.Problems);
        Assert.Equal(Launch + ".source", problem.Key);
    }
}
