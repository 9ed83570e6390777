using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Tests.Engine;

public class SimulationTests
{
    private static List<StepMetrics> Run(MarketSim.Scenarios.Scenario s, int threads)
    {
        var sim = new Simulation(new MarketModel(s), threads);
        var steps = new List<StepMetrics>();
        while (!sim.Done) steps.Add(sim.Step());
        return steps;
    }

    [Fact]
    public void Step_EveryStepAndTier_PrimaryUsersSumToConsumers()
    {
        foreach (var m in Run(TestScenarios.Small(), 2))
            for (int t = 0; t < m.Tiers; t++)
            {
                long primary = 0;
                for (int p = 0; p < m.Platforms; p++) primary += m.Primary[m.At(t, p)];
                Assert.Equal(m.Consumers[t], primary);
            }
    }

    [Fact]
    public void Step_ConsumersAreConserved_OnlyArrivalsAddToThem()
    {
        var s = TestScenarios.Small();
        var model = new MarketModel(s);
        var steps = Run(s, 2);
        for (int t = 0; t < model.T; t++)
        {
            long expected = model.InitialAgents[t];
            foreach (var m in steps)
            {
                expected += model.Arrivals[t][m.Step];
                Assert.Equal(model.Arrivals[t][m.Step], m.Arrivals[t]);
                Assert.Equal(expected, m.Consumers[t]);
            }
        }
    }

    [Fact]
    public void Step_AnnualActive_FollowsNewMinusChurned()
    {
        var steps = Run(TestScenarios.Small(), 2);
        for (int k = 1; k < steps.Count; k++)
            for (int i = 0; i < steps[k].AnnualActive.Length; i++)
                Assert.Equal(steps[k - 1].AnnualActive[i] + steps[k].New[i] - steps[k].Churned[i], steps[k].AnnualActive[i]);
    }

    [Fact]
    public void Step_SwitchFlows_BalanceSwitchedInAndOut()
    {
        foreach (var m in Run(TestScenarios.Small(), 2))
            for (int t = 0; t < m.Tiers; t++)
            {
                long inSum = 0, outSum = 0;
                for (int p = 0; p < m.Platforms; p++)
                {
                    inSum += m.SwitchedIn[m.At(t, p)];
                    outSum += m.SwitchedOut[m.At(t, p)];
                    Assert.Equal(0, m.Flows[m.At(t, p, p)]);
                }
                Assert.Equal(inSum, outSum);
            }
    }

    [Fact]
    public void Step_Overlap_IsSymmetricAndBoundedByEachPlatform()
    {
        var m = Run(TestScenarios.Small(), 2)[^1];
        for (int t = 0; t < m.Tiers; t++)
            for (int a = 0; a < m.Platforms; a++)
                for (int b = 0; b < m.Platforms; b++)
                {
                    Assert.Equal(m.Overlap[m.At(t, a, b)], m.Overlap[m.At(t, b, a)]);
                    Assert.True(m.Overlap[m.At(t, a, b)] <= m.AnnualActive[m.At(t, a)]);
                }
    }

    [Fact]
    public void Run_OneThreadAndTwoThreads_GiveIdenticalMetrics()
    {
        var one = Run(TestScenarios.Small(), 1);
        var two = Run(TestScenarios.Small(), 2);
        Assert.Equal(one.Count, two.Count);
        for (int k = 0; k < one.Count; k++)
        {
            Assert.Equal(one[k].Primary, two[k].Primary);
            Assert.Equal(one[k].AnnualActive, two[k].AnnualActive);
            Assert.Equal(one[k].GmvFen, two[k].GmvFen);
            Assert.Equal(one[k].Flows, two[k].Flows);
            Assert.Equal(one[k].Overlap, two[k].Overlap);
        }
    }

    [Fact]
    public void Run_AllianceFromAStep_LeavesEarlierStepsIdenticalAndChangesLaterOnes()
    {
        var start = new DateOnly(2019, 7, 1);
        var baseline = Run(TestScenarios.Small(), 2);
        var alliance = Run(TestScenarios.WithAlliance(TestScenarios.Small(), start), 2);
        bool differsAfter = false;
        for (int k = 0; k < baseline.Count; k++)
        {
            bool same = baseline[k].Primary.SequenceEqual(alliance[k].Primary)
                        && baseline[k].GmvFen.SequenceEqual(alliance[k].GmvFen)
                        && baseline[k].AnnualActive.SequenceEqual(alliance[k].AnnualActive);
            if (baseline[k].Date < start) Assert.True(same, $"step {k} ({baseline[k].Date}) differs before the alliance");
            else differsAfter |= !same;
        }
        Assert.True(differsAfter);
    }
}
