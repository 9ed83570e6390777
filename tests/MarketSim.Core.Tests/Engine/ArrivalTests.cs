using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Tests.Engine;

/// <summary>
/// New online shoppers: a first platform from the tier's mix with a first order there, and accounts on further
/// platforms with <c>arrival_multihoming</c> × an initial consumer's probability of using each (on the flat scenario,
/// whose cohorts are alike, that probability is the tier's initial penetration), not yet ordered on within the year.
/// </summary>
public class ArrivalTests
{
    private const int A = 0, B = 1, C = 2, P = 3;
    private static readonly double[][] Penetration = [[0.8, 0.4, 0.2], [0.7, 0.3, 0.4]];
    private static readonly double[] FirstMix = [0.5, 0.3, 0.2];

    /// <summary>Arrivals' platform sets and recency after a few steps in which nobody orders or re-evaluates.</summary>
    private static (long[] Arrived, long[] WithPlatform, long[] FirstOn) Arrivals(double multihoming, int threads = 2)
    {
        var s = TestScenarios.Flat(agents: 20_000, steps: 8);
        s.Population.Traits.OrdersPerWeek = TestScenarios.Constant(0);
        s.Streamers.Clear();
        s.Behaviour.Attention = 0;
        s.Behaviour.DissatisfiedAttention = 0;
        s.Behaviour.ArrivalMultihoming = multihoming;
        foreach (var tier in s.Tiers.Values) tier.NewShoppersMillionsPerYear = 150;
        var model = new MarketModel(s);
        var sim = new Simulation(model, threads);
        while (!sim.Done) sim.Step();
        long[] arrived = new long[2], with = new long[2 * P], firstOn = new long[2 * P];
        foreach (var ch in sim.Chunks)
        {
            int t = ch.Tier;
            int first = (int)Math.Clamp(model.InitialAgents[t] - ch.FirstIndexInTier, 0, ch.Capacity);
            for (int i = first; i < ch.Arrived; i++)
            {
                arrived[t]++;
                int primary = ch.Primary[i];
                firstOn[t * P + primary]++;
                for (int p = 0; p < P; p++)
                {
                    if ((ch.Set[i] >> p & 1) == 0) continue;
                    with[t * P + p]++;
                    int lane = (int)((ch.Recency[i] >> (8 * p)) & 0xFF);
                    // The first order's lane has aged by the steps since arrival (< 8); a further account is past a
                    // year, never ordered on: AnnualSteps plus the same ageing.
                    if (p == primary) Assert.InRange(lane, 0, 7);
                    else Assert.InRange(lane, model.AnnualSteps, model.AnnualSteps + 7);
                }
            }
        }
        return (arrived, with, firstOn);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void Arrive_FurtherAccounts_AreMultihomingTimesTheInitialPenetration(double multihoming)
    {
        var (arrived, with, firstOn) = Arrivals(multihoming);
        for (int t = 0; t < 2; t++)
        {
            Assert.True(arrived[t] > 2000, $"tier {t}: only {arrived[t]} arrivals");
            for (int p = 0; p < P; p++)
            {
                double n = arrived[t];
                double chance = FirstMix[p] + (1 - FirstMix[p]) * multihoming * Penetration[t][p];
                double observed = with[t * P + p];
                double sd = Math.Sqrt(n * chance * (1 - chance));
                Assert.True(Math.Abs(observed - n * chance) <= 5 * sd + 1,
                    $"tier {t}, platform {p}: {observed} of {n} arrivals have it, expected {n * chance:F0} ± {5 * sd:F0}");
                double firstChance = FirstMix[p];
                Assert.True(Math.Abs(firstOn[t * P + p] - n * firstChance) <= 5 * Math.Sqrt(n * firstChance * (1 - firstChance)),
                    $"tier {t}, platform {p}: first platform of {firstOn[t * P + p]} arrivals");
            }
        }
    }

    [Fact]
    public void Arrive_FurtherAccounts_AreNotAnnualActiveUntilOrderedOn()
    {
        // Nobody orders after arriving here, so each arrival is annual-active on its first platform only: the step's
        // annual-active users grow by exactly the arrivals, whatever further accounts they hold.
        var s = TestScenarios.Flat(agents: 20_000, steps: 6);
        s.Population.Traits.OrdersPerWeek = TestScenarios.Constant(0);
        s.Streamers.Clear();
        s.Behaviour.Attention = 0;
        s.Behaviour.DissatisfiedAttention = 0;
        s.Behaviour.ArrivalMultihoming = 1;
        foreach (var tier in s.Tiers.Values) tier.NewShoppersMillionsPerYear = 150;
        var sim = new Simulation(new MarketModel(s), 2);
        long previous = -1;
        while (!sim.Done)
        {
            var m = sim.Step();
            long active = m.AnnualActive.Sum();
            if (previous >= 0) Assert.Equal(previous + m.Arrivals.Sum() - m.Churned.Sum(), active);
            previous = active;
        }
    }

    [Fact]
    public void Arrive_SameBitsAtOneAndTwoThreads()
    {
        var (one, two) = (Arrivals(0.7, threads: 1), Arrivals(0.7, threads: 2));
        Assert.Equal(one.Arrived, two.Arrived);
        Assert.Equal(one.WithPlatform, two.WithPlatform);
        Assert.Equal(one.FirstOn, two.FirstOn);
    }
}
