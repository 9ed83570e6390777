using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Tests.Engine;

/// <summary>
/// The burn-in at Core level (the CLI's SteadyStateTests check the shipped baseline over 156 steps): steps run before
/// step 0 under the start date's conditions, add no arrivals, count as no step, and leave a state that the model no
/// longer moves away from.
/// </summary>
public class BurnInTests
{
    private static StepMetrics[] Run(int burnIn, int steps, int threads = 1)
    {
        var s = TestScenarios.Flat(agents: 20_000, steps: steps);
        s.Calendar.BurnInSteps = burnIn;
        var sim = new Simulation(new MarketModel(s), threads);
        Assert.Equal(0, sim.CurrentStep);
        var all = new StepMetrics[steps];
        for (int k = 0; k < steps; k++) all[k] = sim.Step();
        Assert.True(sim.Done);
        return all;
    }

    private static double[] NationalShares(StepMetrics m)
    {
        var shares = new double[m.Platforms];
        long total = 0;
        for (int t = 0; t < m.Tiers; t++)
            for (int p = 0; p < m.Platforms; p++)
            {
                shares[p] += m.Primary[m.At(t, p)];
                total += m.Primary[m.At(t, p)];
            }
        for (int p = 0; p < shares.Length; p++) shares[p] /= total;
        return shares;
    }

    [Fact]
    public void BurnIn_AddsNoArrivalsAndNoSteps_ButChangesTheStartingState()
    {
        var without = Run(0, 2);
        var with = Run(40, 2);
        Assert.Equal(0, with[0].Step);
        Assert.Equal(without[0].Date, with[0].Date);
        // Arrivals are the scenario's from the start date on: the burn-in's 40 weeks would have added some 40/52 of a
        // year's newcomers to every tier had they arrived.
        Assert.Equal(without[0].Consumers, with[0].Consumers);
        Assert.Equal(without[0].Arrivals, with[0].Arrivals);
        Assert.Equal(without[1].Consumers, with[1].Consumers);
        // Forty weeks of ordering and re-evaluating moved the state: who is annual-active and where.
        Assert.NotEqual(without[0].AnnualActive, with[0].AnnualActive);
        Assert.NotEqual(without[0].Primary, with[0].Primary);
    }

    [Fact]
    public void BurnIn_HoldsTheNationalSharesSteadier_ThanTheRawInitialState()
    {
        // Flat has no festival, intervention or alliance: every share movement is the model settling. The initial
        // penetrations are not the model's steady state, so without a burn-in shares move several points in a year;
        // after one, they wander by sampling noise only.
        static double Drift(StepMetrics[] run)
        {
            var first = NationalShares(run[0]);
            var last = NationalShares(run[^1]);
            return first.Zip(last, (a, b) => Math.Abs(a - b)).Max();
        }
        double raw = Drift(Run(0, 52));
        double settled = Drift(Run(260, 52));
        Assert.True(raw > 0.02, $"the raw initial state drifts: {raw:P2}");
        Assert.True(settled < raw / 3, $"after a burn-in the shares drift {settled:P2}, without one {raw:P2}");
    }

    [Fact]
    public void BurnIn_SameResultAtAnyThreadCount()
    {
        var one = Run(30, 3, threads: 1);
        var two = Run(30, 3, threads: 2);
        for (int k = 0; k < one.Length; k++)
        {
            Assert.Equal(one[k].Primary, two[k].Primary);
            Assert.Equal(one[k].AnnualActive, two[k].AnnualActive);
            Assert.Equal(one[k].GmvFen, two[k].GmvFen);
        }
    }

    /// <summary>Share of the agents whose primary platform after a burn-in of <paramref name="burnIn"/> steps differs from the initial one.</summary>
    private static double PrimaryChanged(int burnIn)
    {
        static Simulation Start(int b)
        {
            var s = TestScenarios.Flat(agents: 40_000, steps: 1);
            s.Behaviour.Attention = 0.02;
            s.Behaviour.DissatisfiedAttention = 0.02;
            s.Calendar.BurnInSteps = b;
            return new Simulation(new MarketModel(s), threads: 1);
        }
        var initial = Start(0).Chunks;
        var after = Start(burnIn).Chunks;
        long changed = 0, agents = 0;
        for (int k = 0; k < initial.Length; k++)
            for (int i = 0; i < initial[k].Arrived; i++, agents++)
                if (initial[k].Primary[i] != after[k].Primary[i]) changed++;
        return changed / (double)agents;
    }

    [Fact]
    public void BurnIn_FirstHalfRunsAtEightTimesTheRevaluationPace()
    {
        // A burn-in of one step is all first half (eight times the hazard), of two steps one fast and one ordinary step:
        // nine "ordinary steps" of re-evaluation against eight, so hardly more primaries change. Were both steps fast
        // (the half boundary off by one) or both ordinary, the two-step burn-in would change about twice as many as the
        // one-step one. At 2 % attention few agents re-evaluate twice, so the counts add up nearly linearly.
        double one = PrimaryChanged(1), two = PrimaryChanged(2);
        Assert.True(one > 0.01, $"a fast burn-in step changed {one:P2} of the primaries");
        Assert.InRange(two / one, 0.95, 1.4);
    }
}
