using MarketSim.Engine;

namespace MarketSim.Charts.Tests;

public class ChartSeriesTests
{
    private static StepMetrics Step(int s, int tiers = 2, int platforms = 3) =>
        new(tiers, platforms) { Step = s, Date = new DateOnly(2020, 1, 6).AddDays(7 * s) };

    [Fact]
    public void PrimaryShare_TwoTiers_DividesSummedPrimaryBySummedConsumers()
    {
        var m = Step(0);
        m.Consumers[0] = 100; m.Consumers[1] = 300;
        m.Primary[m.At(0, 0)] = 50; m.Primary[m.At(1, 0)] = 150;
        m.Primary[m.At(0, 1)] = 10; m.Primary[m.At(1, 1)] = 30;

        var all = ChartSeries.PrimaryShare([m], 3);
        var tier0 = ChartSeries.PrimaryShare([m], 3, tier: 0);

        Assert.Equal(0.5, all[0][0], 12);
        Assert.Equal(0.1, all[1][0], 12);
        Assert.Equal(0.0, all[2][0]);
        Assert.Equal(0.5, tier0[0][0], 12);
    }

    [Fact]
    public void PrimaryShare_NoConsumers_IsZeroNotNaN()
    {
        var share = ChartSeries.PrimaryShare([Step(0)], 3);

        Assert.All(share, s => Assert.Equal(0.0, s[0]));
    }

    [Fact]
    public void AnnualActiveAndGmv_ScaleAgentsToPeopleAndFenToYuan()
    {
        var m = Step(0);
        m.AnnualActive[m.At(0, 1)] = 2_000; m.AnnualActive[m.At(1, 1)] = 1_000;
        m.GmvFen[m.At(0, 2)] = 50_000; // 500 yuan per agent-sum

        var users = ChartSeries.AnnualActiveMillions([m], 3, peoplePerAgent: 1_000);
        var gmv = ChartSeries.GmvBillionYuan([m], 3, peoplePerAgent: 1_000);

        Assert.Equal(3.0, users[1][0], 12);            // 3 000 agents × 1 000 = 3 M people
        Assert.Equal(500.0 * 1_000 / 1e9, gmv[2][0], 15); // 500 yuan × 1 000 people per agent
    }

    [Fact]
    public void AlsoActiveShare_PairwiseOverlap_IsOverlapOverOwnAnnualActive()
    {
        var m = Step(0, tiers: 1, platforms: 3);
        m.Overlap[m.At(0, 0, 0)] = 100; m.Overlap[m.At(0, 1, 1)] = 50;
        m.Overlap[m.At(0, 0, 1)] = m.Overlap[m.At(0, 1, 0)] = 25;
        m.Overlap[m.At(0, 0, 2)] = m.Overlap[m.At(0, 2, 0)] = 0;

        var also = ChartSeries.AlsoActiveShare([m], 3);
        var degree = ChartSeries.OtherPlatformsPerUser(also);

        Assert.Equal(0.25, also[0][1][0], 12);
        Assert.Equal(0.5, also[1][0][0], 12);
        Assert.Equal(0.0, also[2][0][0]);   // platform 2 has no users: 0, not NaN
        Assert.Equal(0.25, degree[0][0], 12);
        Assert.Equal(0.5, degree[1][0], 12);
        Assert.Equal(0.0, degree[2][0]);
    }

    [Fact]
    public void FirstStepOfLastYear_LongWeeklyRun_KeepsFiftyTwoSteps()
    {
        var steps = Enumerable.Range(0, 100).Select(s => Step(s)).ToList();

        Assert.Equal(48, ChartSeries.FirstStepOfLastYear(steps));
        Assert.Equal(0, ChartSeries.FirstStepOfLastYear(steps.Take(30).ToList()));
    }

    [Fact]
    public void FlowsMillions_WindowOfSteps_SumsOnlyThoseStepsInPeople()
    {
        var first = Step(0, tiers: 2, platforms: 2);
        var second = Step(1, tiers: 2, platforms: 2);
        first.Flows[first.At(0, 0, 1)] = 7;
        second.Flows[second.At(0, 0, 1)] = 3;
        second.Flows[second.At(1, 0, 1)] = 2;
        second.Flows[second.At(1, 1, 0)] = 4;

        var flows = ChartSeries.FlowsMillions([first, second], 2, peoplePerAgent: 100_000, firstStep: 1);

        Assert.Equal(0.5, flows[0, 1], 12); // (3 + 2) × 100 000 = 0.5 M
        Assert.Equal(0.4, flows[1, 0], 12);
        Assert.Equal(0.0, flows[0, 0]);
    }
}
