using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>The shipped scenarios, run small in-process: they load, and the alliance acts only from its start.</summary>
public class DefaultScenarioTests
{
    private static List<StepMetrics> Run(string file, int steps)
    {
        var loaded = ScenarioLoader.Load(MarketSimProcess.Scenario(file),
            new Dictionary<string, string> { ["population.agents"] = "40000", ["calendar.steps"] = steps.ToString() });
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var sim = new Simulation(new MarketModel(loaded.Scenario!), 2);
        var result = new List<StepMetrics>();
        while (!sim.Done) result.Add(sim.Step());
        return result;
    }

    [Fact]
    public void AllianceAndBaseline_SameSeed_IdenticalBeforeTheStartAndDifferentAfterForJdAndKuaishou()
    {
        var start = new DateOnly(2020, 5, 27);
        var baseline = Run("baseline.yaml", 90);
        var alliance = Run("jd-kuaishou-alliance.yaml", 90);
        int jd = 1, kuaishou = 3;
        bool jdDiffers = false, kuaishouDiffers = false;
        for (int k = 0; k < baseline.Count; k++)
        {
            var b = baseline[k];
            var a = alliance[k];
            if (b.Date < start)
            {
                Assert.Equal(b.Primary, a.Primary);
                Assert.Equal(b.AnnualActive, a.AnnualActive);
                Assert.Equal(b.GmvFen, a.GmvFen);
                Assert.Equal(b.Flows, a.Flows);
                Assert.Equal(b.Overlap, a.Overlap);
                continue;
            }
            for (int t = 0; t < b.Tiers; t++)
            {
                jdDiffers |= b.Primary[b.At(t, jd)] != a.Primary[a.At(t, jd)] || b.GmvFen[b.At(t, jd)] != a.GmvFen[a.At(t, jd)];
                kuaishouDiffers |= b.Primary[b.At(t, kuaishou)] != a.Primary[a.At(t, kuaishou)]
                                   || b.GmvFen[b.At(t, kuaishou)] != a.GmvFen[a.At(t, kuaishou)];
            }
        }
        Assert.True(jdDiffers, "JD's figures never differ after the alliance starts");
        Assert.True(kuaishouDiffers, "Kuaishou's figures never differ after the alliance starts");
    }

    [Fact]
    public void Baseline_PlatformIdsAreInTheOrderTheTestsAssume()
    {
        var loaded = ScenarioLoader.Load(MarketSimProcess.Scenario("baseline.yaml"));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        Assert.Equal(["taobao", "jd", "pdd", "kuaishou", "douyin", "other"], loaded.Scenario!.Platforms.Keys);
    }
}
