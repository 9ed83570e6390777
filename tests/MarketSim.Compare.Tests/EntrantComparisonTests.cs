using MarketSim.Compare;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>
/// Issue 29, item 2: a scenario that adds a platform ("Douyin launches its own mall") can be compared: the baseline runs
/// it dormant (reach 0, no users at the start) under the same random numbers, and on every other platform that baseline
/// is bit-identical to the baseline as written. The entrant gains users through the adoption hazard (its external rate
/// times its reach, which the launch raises from 0), the way platforms grow in the default model.
/// </summary>
public class EntrantComparisonTests
{
    private static string EntrantScenario(string folder)
    {
        string path = Path.Combine(folder, "douyin-mall.yaml");
        File.WriteAllText(path, $"""
            extends: {Compare.Scenario("baseline.yaml")}
            name: douyin-mall
            platforms:
              douyin_mall:
                name: Douyin Mall
                color: "#111111"
                brand: -0.5
                price_level: 0.95
                quality: 0.6
                assortment: 0.6
                content: 0.9
                social: 0.5
                delivery_days: {"{t1: 2.5, t2: 3, t3: 3.5, t4: 4, t5: 4.5, t6: 5}"}
                reach: {"{t1: 0, t2: 0, t3: 0, t4: 0, t5: 0, t6: 0}"}
                initial_penetration: {"{t1: 0, t2: 0, t3: 0, t4: 0, t5: 0, t6: 0}"}
                adoption_external: 0.01
            interventions:
              douyin_mall_launch: {"{platform: douyin_mall, attribute: reach, add: 0.6, start: 2019-03-04, ramp_days: 60}"}
            """);
        return path;
    }

    private static readonly Dictionary<string, string> Small = new(Compare.Small(4000, 30, cohortsPerTier: 128)) { ["calendar.burn_in_steps"] = "0" };

    [Fact]
    public void Compare_ScenarioAddingAPlatform_BaselineGetsItDormant_OtherPlatformsBitIdentical()
    {
        string folder = Compare.NewTempFolder();
        var plan = Compare.Plan(EntrantScenario(folder), 2, Small);
        Assert.Equal(["douyin_mall"], plan.DormantInBaseline);
        Assert.Equal(plan.Scenario.Platforms.Keys, plan.Baseline.Platforms.Keys);
        Assert.All(plan.Baseline.Platforms["douyin_mall"].Reach.Values, r => Assert.Equal(0, r));

        // The baseline arm against the baseline file as written, same seed, agents and calendar: every count of the six
        // platforms the same in every step (and the dormant one never has a user).
        var overrides = new Dictionary<string, string>(Small) { ["seed"] = plan.Scenario.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var real = ScenarioLoader.Load(Compare.Scenario("baseline.yaml"), overrides);
        Assert.True(real.Ok, string.Join("\n", real.Problems));
        var withDormant = Steps(plan.LoadFresh(Arm.Baseline, 0));
        var asWritten = Steps(real.Scenario!);
        int P = asWritten[0].Platforms;
        Assert.Equal(asWritten.Count, withDormant.Count);
        for (int k = 0; k < asWritten.Count; k++)
        {
            var a = asWritten[k];
            var b = withDormant[k];
            for (int t = 0; t < a.Tiers; t++)
            {
                Assert.Equal(a.Consumers[t], b.Consumers[t]);
                for (int p = 0; p < P; p++)
                {
                    int i = t * P + p, j = t * (P + 1) + p;
                    Assert.True(a.AnnualActive[i] == b.AnnualActive[j] && a.Primary[i] == b.Primary[j] && a.GmvFen[i] == b.GmvFen[j] && a.Orders[i] == b.Orders[j],
                        $"step {k}, tier {t}, platform {p} differs from the baseline as written");
                }
                Assert.Equal(0, b.AnnualActive[t * (P + 1) + P]);
            }
        }

        // And the comparison runs: the entrant gains users in the scenario arm only.
        var result = Compare.Run(plan, charts: false);
        var table = result.Table;
        int mall = table.Dimensions.PlatformIds.ToList().IndexOf("douyin_mall");
        int last = table.Dates.Length - 1;
        Assert.True(table.MeanDifference[table.Row(last, CompareMetric.AnnualActive, table.AllTiers, mall)] > 0);
        Assert.Equal(0, table.BaselineMean[table.Row(last, CompareMetric.AnnualActive, table.AllTiers, mall)]);
    }

    private static List<StepMetrics> Steps(MarketSim.Scenarios.Scenario scenario)
    {
        var sim = new Simulation(new MarketModel(scenario), 1);
        var steps = new List<StepMetrics>();
        while (!sim.Done)
        {
            var m = sim.Step();
            var copy = new StepMetrics(m.Tiers, m.Platforms);
            for (int a = 0; a < m.CountArrays.Count; a++) m.CountArrays[a].CopyTo(copy.CountArrays[a], 0);
            steps.Add(copy);
        }
        return steps;
    }
}
