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
            var tier = s.Tiers[TestScenarios.TierIds[t]];
            // Against the scenario's figures, not the model's own schedule: shoppers ÷ people per agent at the start,
            // and new shoppers a year × the days run ÷ 365 ÷ people per agent added by the end (whole agents, rounded down).
            double perAgent = s.Tiers.Values.Sum(x => x.OnlineShoppersMillions) * 1e6 / s.Population.Agents;
            long expected = (long)Math.Round(tier.OnlineShoppersMillions * 1e6 / perAgent);
            double arrivals = tier.NewShoppersMillionsPerYear * 1e6 / perAgent * steps.Count * 7 / 365.0;
            long arrived = 0;
            foreach (var m in steps)
            {
                expected += m.Arrivals[t];
                arrived += m.Arrivals[t];
                Assert.Equal(expected, m.Consumers[t]);
            }
            Assert.InRange(arrived, Math.Floor(arrivals) - 1, Math.Floor(arrivals));
            Assert.True(arrived > 0);
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
        // Switched out of p is row p of the flow matrix, switched into p its column p; every switch is one of each.
        // (EngineBehaviourTests checks the matrix itself against the agents' primaries before and after a step.)
        long total = 0;
        foreach (var m in Run(TestScenarios.Small(), 2))
            for (int t = 0; t < m.Tiers; t++)
            {
                long inSum = 0, outSum = 0;
                for (int p = 0; p < m.Platforms; p++)
                {
                    long row = 0, column = 0;
                    for (int q = 0; q < m.Platforms; q++)
                    {
                        row += m.Flows[m.At(t, p, q)];
                        column += m.Flows[m.At(t, q, p)];
                    }
                    Assert.Equal(row, m.SwitchedOut[m.At(t, p)]);
                    Assert.Equal(column, m.SwitchedIn[m.At(t, p)]);
                    inSum += m.SwitchedIn[m.At(t, p)];
                    outSum += m.SwitchedOut[m.At(t, p)];
                    Assert.Equal(0, m.Flows[m.At(t, p, p)]);
                }
                Assert.Equal(inSum, outSum);
                total += inSum;
            }
        Assert.True(total > 0, "no switches at all: nothing was checked");
    }

    [Fact]
    public void Step_Overlap_IsSymmetricAndBoundedByEachPlatform()
    {
        // Overlap(a, b) counts consumers annual-active on both: symmetric, the diagonal is annual-active itself, and by
        // inclusion–exclusion it lies between AA(a) + AA(b) − consumers and min(AA(a), AA(b)).
        var m = Run(TestScenarios.Small(), 2)[^1];
        long offDiagonal = 0;
        for (int t = 0; t < m.Tiers; t++)
            for (int a = 0; a < m.Platforms; a++)
            {
                Assert.Equal(m.AnnualActive[m.At(t, a)], m.Overlap[m.At(t, a, a)]);
                for (int b = 0; b < m.Platforms; b++)
                {
                    long o = m.Overlap[m.At(t, a, b)];
                    Assert.Equal(o, m.Overlap[m.At(t, b, a)]);
                    Assert.InRange(o, Math.Max(0, m.AnnualActive[m.At(t, a)] + m.AnnualActive[m.At(t, b)] - m.Consumers[t]),
                        Math.Min(m.AnnualActive[m.At(t, a)], m.AnnualActive[m.At(t, b)]));
                    if (a != b) offDiagonal += o;
                }
            }
        Assert.True(offDiagonal > 0, "nobody multi-homes: nothing was checked");
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
        for (int k = 0; k < baseline.Count; k++)
        {
            bool same = baseline[k].Primary.SequenceEqual(alliance[k].Primary)
                        && baseline[k].GmvFen.SequenceEqual(alliance[k].GmvFen)
                        && baseline[k].AnnualActive.SequenceEqual(alliance[k].AnnualActive)
                        && baseline[k].Flows.SequenceEqual(alliance[k].Flows);
            if (baseline[k].Date < start) Assert.True(same, $"step {k} ({baseline[k].Date}) differs before the alliance");
        }
        // Which way it moves: JD gets Kuaishou's traffic in t3 and t6, and JD's goods sold through Kuaishou's community
        // (its slice) are JD's supplied GMV. (The slice is a small part of Kuaishou's orders, so what it does to
        // Kuaishou's users is too small to test at this size: DecisionTablesTests checks its direction and size.)
        var (b, a) = (baseline[^1], alliance[^1]);
        int jd = 1, ks = 3;
        long jdActive(StepMetrics m) => m.AnnualActive[m.At(1, jd)] + m.AnnualActive[m.At(2, jd)];
        Assert.True(jdActive(a) > jdActive(b), $"JD's annual-active users in t3 and t6: {jdActive(b)} without, {jdActive(a)} with");
        Assert.All(b.SuppliedGmvFen, v => Assert.Equal(0, v));
        for (int t = 0; t < a.Tiers; t++)
        {
            Assert.True(a.SuppliedGmvFen[a.At(t, jd)] > 0);
            // The slice is 40 % of the community's orders, themselves a part of Kuaishou's: well below 40 % of its GMV.
            Assert.True(a.SuppliedGmvFen[a.At(t, jd)] < 0.4 * a.GmvFen[a.At(t, ks)],
                $"tier {t}: supplied {a.SuppliedGmvFen[a.At(t, jd)]} fen of a host GMV of {a.GmvFen[a.At(t, ks)]}");
        }
    }
}
