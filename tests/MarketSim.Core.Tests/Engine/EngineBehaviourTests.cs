using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Engine;

/// <summary>
/// The engine on small constructed scenarios and states whose outcome can be reasoned: each metric by its definition
/// on the agents' state, and each behaviour (lapse, choice, word of mouth, orders, supply) by its direction and size.
/// </summary>
public class EngineBehaviourTests
{
    private const int A = 0, B = 1, C = 2;

    /// <summary>The agents' state between two steps, copied.</summary>
    private sealed record ChunkState(int Tier, int Arrived, byte[] Set, byte[] Primary, ulong[] Recency);

    private static ChunkState[] Snapshot(Simulation sim) =>
        sim.Chunks.Select(ch => new ChunkState(ch.Tier, ch.Arrived, (byte[])ch.Set.Clone(), (byte[])ch.Primary.Clone(),
            (ulong[])ch.Recency.Clone())).ToArray();

    private static int Lane(ulong recency, int p) => (int)((recency >> (8 * p)) & 0xFF);

    /// <summary>Nobody orders or re-evaluates on their own: only arrivals and what a test constructs happen.</summary>
    private static Scenario Quiet(int steps, int stepDays = 7)
    {
        var s = TestScenarios.Flat(steps: steps, stepDays: stepDays);
        s.Population.Traits.OrdersPerWeek = TestScenarios.Constant(0);
        s.Streamers.Clear();
        s.Behaviour.Attention = 0;
        s.Behaviour.DissatisfiedAttention = 0;
        return s;
    }

    private static List<StepMetrics> RunAll(Simulation sim)
    {
        var list = new List<StepMetrics>();
        while (!sim.Done) list.Add(sim.Step());
        return list;
    }

    private static long Sum(long[] a) => a.Sum();

    private static void AssertWithinSigmas(double expected, double variance, double observed, string what, double sigmas = 5)
    {
        double sd = Math.Sqrt(Math.Max(variance, 1));
        Assert.True(Math.Abs(observed - expected) <= sigmas * sd,
            $"{what}: observed {observed}, expected {expected:F1} ± {sigmas * sd:F1} ({sigmas} standard deviations)");
    }

    [Fact]
    public void Step_Metrics_AreTheAgentsStateCountedByDefinition()
    {
        // Every count a step reports, recomputed from the agents' state before and after it: annual-active (a lane
        // below AnnualSteps), period-active (a lane reset to 0: ordered this step), overlap (both), primary users,
        // churned (a lane that was AnnualSteps − 1), new (ordered with a lane that had reached a year, or arrived),
        // flows (primary before → primary after), and the stock-flow identity of primary users.
        var s = TestScenarios.WithAlliance(TestScenarios.Small(agents: 20_000, steps: 36), new DateOnly(2019, 3, 1));
        s.Behaviour.Attention = 0.15;   // many re-evaluations, so that flows are not rare
        var model = new MarketModel(s);
        var sim = new Simulation(model, 2);
        int T = model.T, P = model.P, annualSteps = model.AnnualSteps;
        var before = Snapshot(sim);
        long[] previousPrimary = new long[T * P];
        foreach (var ch in before)
            for (int i = 0; i < ch.Arrived; i++) previousPrimary[ch.Tier * P + ch.Primary[i]]++;
        long flowsSeen = 0;
        while (!sim.Done)
        {
            var m = sim.Step();
            var after = Snapshot(sim);
            long[] annual = new long[T * P], period = new long[T * P], primary = new long[T * P], churned = new long[T * P],
                fresh = new long[T * P], firstPlatform = new long[T * P], overlap = new long[T * P * P], flows = new long[T * P * P];
            long[] consumers = new long[T], arrivals = new long[T];
            for (int j = 0; j < after.Length; j++)
            {
                var (b, a) = (before[j], after[j]);
                int t = a.Tier;
                consumers[t] += a.Arrived;
                arrivals[t] += a.Arrived - b.Arrived;
                for (int i = 0; i < a.Arrived; i++)
                {
                    bool arrived = i >= b.Arrived;
                    primary[t * P + a.Primary[i]]++;
                    if (arrived) firstPlatform[t * P + a.Primary[i]]++;
                    else if (b.Primary[i] != a.Primary[i]) flows[(t * P + b.Primary[i]) * P + a.Primary[i]]++;
                    for (int p = 0; p < P; p++)
                    {
                        int lane = Lane(a.Recency[i], p), was = arrived ? 255 : Lane(b.Recency[i], p);
                        if (lane < annualSteps) annual[t * P + p]++;
                        if (lane == 0) period[t * P + p]++;
                        if (was == annualSteps - 1) churned[t * P + p]++;
                        if (lane == 0 && was >= annualSteps - 1) fresh[t * P + p]++;
                        for (int q = 0; q < P; q++)
                            if (lane < annualSteps && Lane(a.Recency[i], q) < annualSteps) overlap[(t * P + p) * P + q]++;
                    }
                }
            }
            Assert.Equal(consumers, m.Consumers);
            Assert.Equal(arrivals, m.Arrivals);
            Assert.Equal(annual, m.AnnualActive);
            Assert.Equal(period, m.PeriodActive);
            Assert.Equal(primary, m.Primary);
            Assert.Equal(churned, m.Churned);
            Assert.Equal(fresh, m.New);
            Assert.Equal(overlap, m.Overlap);
            Assert.Equal(flows, m.Flows);
            for (int t = 0; t < T; t++)
                for (int p = 0; p < P; p++)
                {
                    long switchedIn = 0, switchedOut = 0;
                    for (int q = 0; q < P; q++)
                    {
                        switchedIn += flows[(t * P + q) * P + p];
                        switchedOut += flows[(t * P + p) * P + q];
                    }
                    Assert.Equal(switchedIn, m.SwitchedIn[t * P + p]);
                    Assert.Equal(switchedOut, m.SwitchedOut[t * P + p]);
                    // Δ primary users = switched in − switched out + arrivals starting there.
                    Assert.Equal(previousPrimary[t * P + p] + switchedIn - switchedOut + firstPlatform[t * P + p], m.Primary[t * P + p]);
                }
            flowsSeen += Sum(m.Flows);
            previousPrimary = m.Primary;
            before = after;
        }
        Assert.True(flowsSeen > 1000, $"only {flowsSeen} switches: the test would check little");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(14)]
    public void AnnualActive_AfterASingleOrder_LastsExactlyAnnualSteps(int stepDays)
    {
        // Only arrivals order (once, on arriving); every initial consumer's last order is less than a year old, so by
        // step AnnualSteps all of them have churned. From then on the annual-active users are the arrivals of the last
        // AnnualSteps steps, and each arrival churns exactly AnnualSteps steps after its order.
        var model = new MarketModel(Quiet(steps: 90 * 7 / stepDays, stepDays));
        int annualSteps = model.AnnualSteps;
        Assert.Equal((int)Math.Round(365.0 / stepDays), annualSteps);
        var steps = RunAll(new Simulation(model, 2));
        for (int k = 0; k < steps.Count; k++)
            for (int t = 0; t < model.T; t++)
            {
                long fresh = 0;
                for (int p = 0; p < model.P; p++) fresh += steps[k].New[t * model.P + p];
                Assert.Equal(model.Arrivals[t][k], fresh);
            }
        for (int k = annualSteps; k < steps.Count; k++)
            for (int i = 0; i < steps[k].AnnualActive.Length; i++)
            {
                long window = 0;
                for (int j = k - annualSteps + 1; j <= k; j++) window += steps[j].New[i];
                Assert.Equal(window, steps[k].AnnualActive[i]);
                Assert.Equal(steps[k - annualSteps].New[i], steps[k].Churned[i]);
            }
        Assert.True(Sum(steps[^1].AnnualActive) > 0);
    }

    [Fact]
    public void Set_PlatformUnusedForInactivityWeeks_LeavesButThePrimaryStays()
    {
        var s = Quiet(steps: 70);
        s.Behaviour.InactivityWeeks = 60;
        var model = new MarketModel(s);
        Assert.Equal(60, model.InactivitySteps);
        var sim = new Simulation(model, 2);
        long present = 0;
        foreach (var ch in sim.Chunks)
            for (int i = 0; i < ch.Arrived; i++)
            {
                // Uses a and b, primary a, both ordered on just now.
                ch.Set[i] = 0b011;
                ch.Primary[i] = A;
                ch.Recency[i] = ~0xFFFFUL;
                present++;
            }
        var initial = sim.Chunks.Select(ch => ch.Arrived).ToArray();
        for (int k = 0; k < 60; k++)
        {
            var m = sim.Step();
            // Step k ages the lanes to k + 1: a year without an order at step AnnualSteps − 1 (churn, still in the set).
            long churnA = m.Churned.Where((_, i) => i % 3 == A).Sum(), churnB = m.Churned.Where((_, i) => i % 3 == B).Sum();
            if (k < model.AnnualSteps)   // later, arrivals of the first steps churn too
            {
                Assert.Equal(k == model.AnnualSteps - 1 ? present : 0, churnA);
                Assert.Equal(k == model.AnnualSteps - 1 ? present : 0, churnB);
            }
            bool left = k == 59;
            for (int j = 0; j < sim.Chunks.Length; j++)
            {
                var ch = sim.Chunks[j];
                for (int i = 0; i < initial[j]; i++)
                {
                    Assert.Equal(left ? 0b001 : 0b011, (int)ch.Set[i]);
                    Assert.Equal(A, (int)ch.Primary[i]);
                    Assert.Equal(left ? 255 : k + 1, Lane(ch.Recency[i], B));
                    Assert.Equal(k + 1, Lane(ch.Recency[i], A));
                }
            }
        }
    }

    /// <summary>
    /// Every consumer present uses a and b (primary a, satisfaction 200) and not c, has just ordered, and re-evaluates
    /// this step (attention 1); word of mouth is off. Returns the expected switches a → b and a → c from the logit
    /// weights (reach × exp(U), × exp(inertia × satisfaction) for the primary, × exp(−switching cost) for c, not in
    /// use, which only an adoption made primary turns into a switch) and the step's metrics.
    /// </summary>
    private static (double ToB, double VarB, double ToC, double VarC, StepMetrics M) OneChoice(double inertia, double switchingCost)
    {
        var s = TestScenarios.Flat(agents: 20_000, steps: 2);
        s.Behaviour.Attention = 1;
        s.Behaviour.WordOfMouth = 0;
        s.Behaviour.Inertia = inertia;
        s.Behaviour.SwitchingCost = switchingCost;
        var model = new MarketModel(s);
        var tables = new DecisionTables(model);
        tables.Build(model, 0);
        var sim = new Simulation(model, 2);
        double toB = 0, varB = 0, toC = 0, varC = 0;
        double satFactor = Math.Exp(inertia * 200 / 255.0), adopt = 0.35;
        foreach (var ch in sim.Chunks)
            for (int i = 0; i < ch.Arrived; i++)
            {
                ch.Set[i] = 0b011;
                ch.Primary[i] = A;
                ch.Satisfaction[i] = 200;
                ch.Recency[i] = ~0xFFFFUL;
                int t = ch.Tier, cb = ch.Cohort[i] * 3;
                double w(int p) => tables.ExpUtility[t][cb + p] * (double)tables.Reach[t * 3 + p];
                double wa = w(A) * satFactor, wb = w(B), wc = w(C) * Math.Exp(-switchingCost);
                double pb = wb / (wa + wb + wc), pc = adopt * wc / (wa + wb + wc);
                toB += pb; varB += pb * (1 - pb);
                toC += pc; varC += pc * (1 - pc);
            }
        return (toB, varB, toC, varC, sim.Step());
    }

    private static long FlowSum(StepMetrics m, int from, int to) =>
        Enumerable.Range(0, m.Tiers).Sum(t => m.Flows[m.At(t, from, to)]);

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(3.0, 1.5)]
    [InlineData(1.0, 4.0)]
    public void Reevaluation_SwitchesAsTheLogitWeightsSay(double inertia, double switchingCost)
    {
        var (toB, varB, toC, varC, m) = OneChoice(inertia, switchingCost);
        AssertWithinSigmas(toB, varB, FlowSum(m, A, B), "switches a → b");
        AssertWithinSigmas(toC, varC, FlowSum(m, A, C), "switches a → c (adoptions made primary)");
        Assert.Equal(0, FlowSum(m, B, A) + FlowSum(m, C, A) + FlowSum(m, B, C) + FlowSum(m, C, B));
    }

    [Fact]
    public void Reevaluation_MoreInertiaOrSwitchingCost_FewerSwitches()
    {
        // In the running scenario, not only in the constructed state: over 30 steps of the small scenario.
        static long Switches(Action<BehaviourSpec> change)
        {
            var s = TestScenarios.Small(agents: 15_000, steps: 30);
            s.Behaviour.Attention = 0.1;
            change(s.Behaviour);
            return RunAll(new Simulation(new MarketModel(s), 2)).Sum(m => Sum(m.Flows));
        }
        long baseline = Switches(_ => { });
        long costly = Switches(b => b.SwitchingCost = 4.0);
        long loyal = Switches(b => b.Inertia = 5.0);
        // Switching cost only weighs platforms not in use (adoptions), so its effect is the smaller; 5 % is still some
        // five standard deviations of a count of ~13 000.
        Assert.True(costly < 0.95 * baseline, $"switching cost 1.5 → 4: {baseline} → {costly} switches");
        Assert.True(loyal < 0.9 * baseline, $"inertia 3 → 5: {baseline} → {loyal} switches");
    }

    [Fact]
    public void WordOfMouth_PullsTowardTheLocallyDominantPlatformByExpOfWeightTimesShare()
    {
        // Localities of 256: in even ones 90 % use a as their primary, in odd ones 90 % use b. Everyone uses a, b and c
        // and re-evaluates; no inertia. The chance of ending on p is reach × exp(U) × exp(word of mouth × social
        // propensity × local share of p), normalised; without word of mouth both kinds of locality choose alike.
        static (double Expected, double Variance, long Observed, double EvenShareA, double OddShareA) Run(double wordOfMouth)
        {
            var s = TestScenarios.Flat(agents: 20_000, steps: 1);
            s.Behaviour.Attention = 1;
            s.Behaviour.Inertia = 0;
            s.Behaviour.WordOfMouth = wordOfMouth;
            var model = new MarketModel(s);
            var tables = new DecisionTables(model);
            tables.Build(model, 0);
            var sim = new Simulation(model, 2);
            double expected = 0, variance = 0;
            var localities = new List<(int Chunk, int First, int Count)>();
            for (int j = 0; j < sim.Chunks.Length; j++)
            {
                var ch = sim.Chunks[j];
                Array.Clear(ch.LocalPrevious);
                for (int i = 0; i < ch.Arrived; i++)
                {
                    int loc = i / 256;
                    ch.Set[i] = 0b111;
                    ch.Primary[i] = (byte)((loc % 2 == 0) == (i % 10 != 0) ? A : B);
                    ch.Recency[i] = ~0xFFFFFFUL;
                    ch.LocalPrevious[loc * 3 + ch.Primary[i]]++;
                }
                for (int i = 0; i < ch.Arrived; i++)
                {
                    int loc = i / 256, t = ch.Tier, cb = ch.Cohort[i] * 3;
                    int present = Math.Min(256, ch.Arrived - loc * 256);
                    double womC = wordOfMouth * 0.3;
                    double w(int p) => tables.ExpUtility[t][cb + p] * (double)tables.Reach[t * 3 + p]
                                       * Math.Exp(womC * ch.LocalPrevious[loc * 3 + p] / (double)present);
                    double pa = w(A) / (w(A) + w(B) + w(C));
                    expected += pa;
                    variance += pa * (1 - pa);
                }
            }
            var initial = sim.Chunks.Select(ch => ch.Arrived).ToArray();
            sim.Step();
            long observed = 0, even = 0, evenA = 0, odd = 0, oddA = 0;
            for (int j = 0; j < sim.Chunks.Length; j++)
                for (int i = 0; i < initial[j]; i++)
                {
                    bool onA = sim.Chunks[j].Primary[i] == A;
                    observed += onA ? 1 : 0;
                    if (i / 256 % 2 == 0) { even++; evenA += onA ? 1 : 0; }
                    else { odd++; oddA += onA ? 1 : 0; }
                }
            return (expected, variance, observed, evenA / (double)even, oddA / (double)odd);
        }

        var with = Run(5.0);
        AssertWithinSigmas(with.Expected, with.Variance, with.Observed, "consumers on a with word of mouth");
        Assert.True(with.EvenShareA > with.OddShareA + 0.2, $"a's share: {with.EvenShareA:P1} where it dominates, {with.OddShareA:P1} where b does");
        var without = Run(0.0);
        AssertWithinSigmas(without.Expected, without.Variance, without.Observed, "consumers on a without word of mouth");
        Assert.True(Math.Abs(without.EvenShareA - without.OddShareA) < 0.03, $"without word of mouth: {without.EvenShareA:P1} vs {without.OddShareA:P1}");
    }

    [Fact]
    public void Arrivals_OverAYear_AreTheScenariosFigureDividedByPeoplePerAgent()
    {
        // Five-day steps: 73 of them are exactly 365 days. 100 million people over 10 000 agents: 10 000 people per
        // agent, so t1's 2 million and t2's 6 million new shoppers a year are 200 and 600 agents.
        var model = new MarketModel(Quiet(steps: 146, stepDays: 5));
        Assert.Equal(10_000, model.PeoplePerAgent);
        var steps = RunAll(new Simulation(model, 2));
        long[] firstYear = [0, 0], secondYear = [0, 0];
        for (int k = 0; k < 146; k++)
            for (int t = 0; t < 2; t++) (k < 73 ? firstYear : secondYear)[t] += steps[k].Arrivals[t];
        Assert.Equal([200L, 600L], firstYear);
        Assert.Equal([200L, 600L], secondYear);
        Assert.Equal([4000L + 400, 6000L + 1200], steps[^1].Consumers);
        // Arrivals come spread over the year, not in a lump.
        Assert.All(steps, m => Assert.InRange(m.Arrivals[1], 8, 9));
    }

    [Fact]
    public void PeoplePerAgent_MorePeopleSameAgents_SameAgentCountsScaledUp()
    {
        var small = TestScenarios.Flat(steps: 12);
        var large = TestScenarios.Flat(steps: 12);
        foreach (var tier in large.Tiers.Values)
        {
            tier.OnlineShoppersMillions *= 3;
            tier.NewShoppersMillionsPerYear *= 3;
        }
        var (ms, ml) = (new MarketModel(small), new MarketModel(large));
        Assert.Equal(3 * ms.PeoplePerAgent, ml.PeoplePerAgent, 9);
        Assert.Equal(3 * ms.PeoplePerAgent, ml.Dimensions.PeoplePerAgent, 9);
        var a = RunAll(new Simulation(ms, 2));
        var b = RunAll(new Simulation(ml, 2));
        for (int k = 0; k < a.Count; k++)
        {
            Assert.Equal(a[k].Consumers, b[k].Consumers);
            Assert.Equal(a[k].AnnualActive, b[k].AnnualActive);
            Assert.Equal(a[k].GmvFen, b[k].GmvFen);
        }
    }

    [Fact]
    public void SuppliedGmv_ZeroBeforeTheAllianceThenTheSliceOfTheCommunitysOrdersOnly()
    {
        // a supplies a share of what c's community sells from 2019-03-04 (step 8). Orders on c outside the slice
        // (weekly orders, adoptions, arrivals, the community's other orders) are c's own goods at c's price; the
        // slice's orders are a's goods at a's price, booked on c's GMV and as a's supplied GMV.
        static Scenario Sliced(double share)
        {
            var s = TestScenarios.Flat(agents: 20_000, steps: 14);
            s.Alliances["ac"] = new AllianceSpec
            {
                Members = ["a", "c"],
                Start = new DateOnly(2019, 3, 4),
                Supply = [new SupplySharingSpec { Host = "c", Partner = "a", Streamers = ["live"], Share = share }],
            };
            return s;
        }
        long[] slice = new long[2], whole = new long[2];
        foreach (double share in new[] { 0.4, 1.0 })
        {
            var model = new MarketModel(Sliced(share));
            var tables = new DecisionTables(model);
            tables.Build(model, 8);
            foreach (var m in RunAll(new Simulation(model, 2)))
                for (int t = 0; t < 2; t++)
                {
                    if (m.Step < 8)
                    {
                        Assert.All(m.SuppliedGmvFen, v => Assert.Equal(0, v));
                        Assert.All(m.SuppliedOrders, v => Assert.Equal(0, v));
                        continue;
                    }
                    long supplied = m.SuppliedOrders[m.At(t, A)];
                    Assert.True(supplied > 0);
                    // Every follower's slice order is worth a's price on c's basket (flat scenario: one value per tier).
                    int sliceFen = tables.SliceFen[t].First(v => v > 0);
                    Assert.Equal(supplied * sliceFen, m.SuppliedGmvFen[m.At(t, A)]);
                    Assert.Equal((m.Orders[m.At(t, C)] - supplied) * tables.OrderFen[t][C] + supplied * sliceFen, m.GmvFen[m.At(t, C)]);
                    Assert.True(supplied < m.Orders[m.At(t, C)]);
                    Assert.Equal(0, m.SuppliedGmvFen[m.At(t, B)] + m.SuppliedGmvFen[m.At(t, C)]);
                    Assert.Equal(0, m.SuppliedOrders[m.At(t, B)] + m.SuppliedOrders[m.At(t, C)]);
                    (share < 1 ? slice : whole)[t] += supplied;
                }
        }
        // A share of 0.4 puts 0.4 of the community's orders in the slice; the community also sells less than with the
        // whole of a's goods (trust 1.4 against 2.0, docs/model.md), so the slice is about 0.4 × 1.4 / 2 = 0.28 of the
        // whole (the runs differ from step 8 on, so the ratio carries their noise: a few per cent over six steps).
        for (int t = 0; t < 2; t++) Assert.InRange((double)slice[t] / whole[t], 0.23, 0.33);
    }

    [Fact]
    public void Traffic_WhereTheTargetsReachIsAlready1_StillMovesTheSourcesUsersTowardIt()
    {
        // a's reach is 1 in both tiers. Traffic from c adds its share to a's weight for c's users (reach + share), so it
        // acts where 1 − (1 − reach)(1 − share) would be 1 with or without it: c's primaries move to a.
        static Scenario At1(double share)
        {
            var s = TestScenarios.Flat(agents: 20_000, steps: 30);
            s.Platforms["a"].Reach = new() { ["t1"] = 1.0, ["t2"] = 1.0 };
            s.Behaviour.Attention = 0.2;
            if (share > 0)
                s.Alliances["ca"] = new AllianceSpec
                {
                    Members = ["a", "c"],
                    Start = new DateOnly(2019, 3, 4),
                    Traffic = [new TrafficSharingSpec { From = "c", To = "a", Share = share }],
                };
            return s;
        }
        (long A, long C) Primaries(Scenario s)
        {
            var m = RunAll(new Simulation(new MarketModel(s), 2))[^1];
            return (m.Primary[m.At(0, A)] + m.Primary[m.At(1, A)], m.Primary[m.At(0, C)] + m.Primary[m.At(1, C)]);
        }
        var (without, with) = (Primaries(At1(0)), Primaries(At1(0.5)));
        // c's users weigh a 1.5 times more: c keeps fewer primaries (measured 907 → 601 of 20 000 agents), a gains them.
        Assert.True(with.C < without.C * 0.8, $"c's primaries: {without.C} without traffic, {with.C} with");
        Assert.True(with.A > without.A, $"a's primaries: {without.A} without traffic, {with.A} with");
    }
}
