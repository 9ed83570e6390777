using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Tests;

/// <summary>
/// The burn-in draws random streams of its own (keyed by its negative step numbers), never the run's: a burn-in step that
/// reused step s's streams would make the same agents order in it and in step s, a correlation no model has.
/// </summary>
public sealed class BurnInStreamsTests
{
    [Fact]
    public void BurnIn_OrdersOfItsLastStep_AreIndependentOfTheRunsFirstSteps()
    {
        var s = TestScenarios.Flat(agents: 12_000, steps: 4);
        s.Calendar.BurnInSteps = 2;
        var sim = new Simulation(new MarketModel(s), 2);
        int P = s.Platforms.Count;
        // After the burn-in: who ordered in its last step (a recency lane at 0), among the agents present.
        var orderedLast = new List<bool[]>();
        for (int c = 0; c < sim.AgentChunkCount; c++)
        {
            var v = sim.ViewAgents(c);
            var last = new bool[v.Count];
            for (int i = 0; i < v.Count; i++) last[i] = Ordered(v.Recency[i], v.PlatformSet[i], P);
            orderedLast.Add(last);
        }
        for (int step = 0; step < 3; step++)
        {
            sim.Step();
            // P(order now | ordered in the burn-in's last step) against P(order now | did not): equal for independent draws
            // (about 1 − e^−1.25 = 0.71 both); a stream shared with that step makes them about 1 and 0.
            long[] n = new long[2], ordered = new long[2];
            for (int c = 0; c < sim.AgentChunkCount; c++)
            {
                var v = sim.ViewAgents(c);
                for (int i = 0; i < orderedLast[c].Length; i++)
                {
                    int g = orderedLast[c][i] ? 1 : 0;
                    n[g]++;
                    if (Ordered(v.Recency[i], v.PlatformSet[i], P)) ordered[g]++;
                }
            }
            Assert.True(n[0] > 500 && n[1] > 500, $"groups too small: {n[0]}, {n[1]}");
            double after = (double)ordered[1] / n[1], afterNone = (double)ordered[0] / n[0];
            Assert.True(Math.Abs(after - afterNone) < 0.1,
                $"step {step}: {after:P1} of the burn-in's last buyers order again, {afterNone:P1} of the others: the draws are shared");
        }
    }

    private static bool Ordered(ulong recency, byte set, int platforms)
    {
        for (int p = 0; p < platforms; p++)
            if ((set & (1 << p)) != 0 && AgentChunkView.StepsSinceOrder(recency, p) == 0) return true;
        return false;
    }
}
