using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Tests.Engine;

/// <summary>
/// The population at the start date, before any step (no burn-in): who uses which platform, which is their primary,
/// when they last ordered, and what they carry from it. Each against the scenario's numbers: initial penetration
/// (a consumer the draws left with none takes one in proportion to the tier's penetrations), the primary drawn in
/// proportion to exp(U) × reach among the consumer's platforms, cohorts that like a platform more using it more often,
/// and purchase recency spread over the past year.
/// </summary>
public class InitialStateTests
{
    private static (MarketModel Model, Simulation Sim, DecisionTables Tables) Start(Scenarios.Scenario s)
    {
        s.Calendar.BurnInSteps = 0;
        var model = new MarketModel(s);
        var tables = new DecisionTables(model);
        tables.Build(model, 0);
        return (model, new Simulation(model, threads: 1), tables);
    }

    private static IEnumerable<(AgentChunk Chunk, int I)> Agents(Simulation sim, int tier) =>
        sim.Chunks.Where(ch => ch.Tier == tier).SelectMany(ch => Enumerable.Range(0, ch.Arrived).Select(i => (ch, i)));

    [Fact]
    public void Platforms_AreUsedAtTheInitialPenetration_PlusThoseLeftWithNone_InProportionToPenetration()
    {
        // Constant traits: every cohort alike, so each platform is included with exactly its penetration, independently.
        var s = TestScenarios.Flat(agents: 40_000);
        var (model, sim, _) = Start(s);
        int P = model.P;
        for (int t = 0; t < model.T; t++)
        {
            string tier = TestScenarios.FlatTierIds[t];
            var pen = s.Platforms.Values.Select(p => p.InitialPenetration[tier]).ToArray();
            double none = pen.Aggregate(1.0, (acc, x) => acc * (1 - x));
            var agents = Agents(sim, t).ToList();
            Assert.Equal(model.InitialAgents[t], agents.Count);
            for (int p = 0; p < P; p++)
            {
                double expected = pen[p] + none * pen[p] / pen.Sum();
                double observed = agents.Count(a => (a.Chunk.Set[a.I] >> p & 1) != 0) / (double)agents.Count;
                double sigma = Math.Sqrt(expected * (1 - expected) / agents.Count);
                Assert.InRange(observed, expected - 4 * sigma, expected + 4 * sigma);
            }
            // Nobody starts without a platform, and the primary is one of the consumer's platforms.
            Assert.All(agents, a => Assert.NotEqual(0, a.Chunk.Set[a.I] >> a.Chunk.Primary[a.I] & 1));
        }
    }

    [Fact]
    public void Primary_IsDrawnFromReevaluationsStationaryDistribution_AmongTheConsumersPlatforms()
    {
        var (model, sim, tables) = Start(TestScenarios.Small(agents: 40_000));
        int P = model.P;
        for (int t = 0; t < model.T; t++)
        {
            var eu = tables.ExpUtility[t];
            var observed = new double[P];
            var expected = new double[P];
            var variance = new double[P];
            foreach (var (ch, i) in Agents(sim, t))
            {
                int set = ch.Set[i], c = ch.Cohort[i];
                if (System.Numerics.BitOperations.PopCount((uint)set) < 2) continue;
                // The stationary distribution of re-evaluation among the consumer's platforms: w_i (B_i w_i + W − w_i) / λ_i.
                double sum = 0;
                for (int p = 0; p < P; p++) if ((set >> p & 1) != 0) sum += eu[c * P + p] * tables.Reach[t * P + p];
                var weight = new double[P];
                for (int p = 0; p < P; p++)
                {
                    if ((set >> p & 1) == 0) continue;
                    double wp = eu[c * P + p] * tables.Reach[t * P + p];
                    int experience = tables.Experience[t * P + p];
                    weight[p] = wp * (tables.InertiaFactor[experience] * wp + sum - wp) / Math.Max(tables.AttentionThreshold[experience], 1);
                }
                double total = weight.Sum();
                for (int p = 0; p < P; p++)
                {
                    if ((set >> p & 1) == 0) continue;
                    double q = weight[p] / total;
                    expected[p] += q;
                    variance[p] += q * (1 - q);
                }
                observed[ch.Primary[i]]++;
            }
            for (int p = 0; p < P; p++)
                Assert.InRange(observed[p], expected[p] - 4 * Math.Sqrt(variance[p]) - 1, expected[p] + 4 * Math.Sqrt(variance[p]) + 1);
        }
    }

    /// <summary>Share of a platform's users among the cohorts that like it more than the median cohort, and among the rest.</summary>
    private static (double Upper, double Lower) UseByLiking(double sorting, int tier, int platform)
    {
        var s = TestScenarios.Small(agents: 60_000);
        s.Behaviour.InitialSorting = sorting;
        var (model, sim, tables) = Start(s);
        int P = model.P;
        var eu = tables.ExpUtility[tier];
        var agents = Agents(sim, tier).ToList();
        double median = agents.Select(a => (double)eu[a.Chunk.Cohort[a.I] * P + platform]).Order().ElementAt(agents.Count / 2);
        var upper = agents.Where(a => eu[a.Chunk.Cohort[a.I] * P + platform] > median).ToList();
        var lower = agents.Where(a => eu[a.Chunk.Cohort[a.I] * P + platform] <= median).ToList();
        static double Use(List<(AgentChunk Chunk, int I)> xs, int p) => xs.Count(a => (a.Chunk.Set[a.I] >> p & 1) != 0) / (double)xs.Count;
        return (Use(upper, platform), Use(lower, platform));
    }

    [Fact]
    public void InitialSorting_CohortsThatLikeAPlatformMore_UseItMoreOften_AndWithoutSortingAlike()
    {
        // Pinduoduo in tier 6 (penetration 0.75): room either way, so sorting shows in both halves.
        var (upper, lower) = UseByLiking(1.0, tier: 2, platform: 2);
        Assert.True(upper > lower + 0.05, $"sorted: upper half {upper:F3}, lower half {lower:F3}");
        var (upper0, lower0) = UseByLiking(0.0, tier: 2, platform: 2);
        Assert.True(Math.Abs(upper0 - lower0) < 0.02, $"unsorted: upper half {upper0:F3}, lower half {lower0:F3}");
    }

    [Fact]
    public void Recency_OfEachPlatformInUse_IsSpreadOverThePastYear_AndSatisfactionIsThePrimarysExperience()
    {
        var (model, sim, tables) = Start(TestScenarios.Flat(agents: 40_000));
        int P = model.P, A = model.AnnualSteps;
        var lanes = new List<int>();
        for (int t = 0; t < model.T; t++)
            foreach (var (ch, i) in Agents(sim, t))
            {
                Assert.Equal(tables.Experience[t * P + ch.Primary[i]], ch.Satisfaction[i]);
                for (int p = 0; p < 8; p++)
                {
                    int lane = (int)(ch.Recency[i] >> (8 * p) & 0xFF);
                    if (p < P && (ch.Set[i] >> p & 1) != 0)
                    {
                        Assert.InRange(lane, 0, A - 1);
                        // One platform may be the first platform of a consumer the draws left with none, who ordered there
                        // just now (lane 0); with two or more every lane is a draw.
                        if (System.Numerics.BitOperations.PopCount(ch.Set[i]) >= 2) lanes.Add(lane);
                    }
                    else Assert.Equal(0xFF, lane);
                }
            }
        // Uniform over 0 … A − 1 (a byte scaled to A: floor(b × A / 256)): mean about (A − 1) / 2, each half of the year
        // about half of the lanes.
        double mean = Enumerable.Range(0, 256).Average(b => b * A / 256);
        double sd = Math.Sqrt((A * A - 1) / 12.0 / lanes.Count);
        Assert.InRange(lanes.Average(), mean - 4 * sd, mean + 4 * sd);
        Assert.InRange(lanes.Count(x => x < A / 2) / (double)lanes.Count, 0.47, 0.53);
    }

    [Fact]
    public void LocalCounts_AreThePrimariesOfEachLocality()
    {
        var s = TestScenarios.Flat(agents: 20_000);
        s.Behaviour.LocalitySize = 64;
        var (model, sim, _) = Start(s);
        int P = model.P;
        foreach (var ch in sim.Chunks)
        {
            var expected = new int[ch.LocalPrevious.Length];
            for (int i = 0; i < ch.Arrived; i++) expected[(i / 64) * P + ch.Primary[i]]++;
            Assert.Equal(expected, ch.LocalPrevious);
        }
    }
}
