using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Engine;

/// <summary>
/// Adoption as a Bass diffusion in agent form (docs/model.md §3): a consumer who does not use a platform adds it each
/// step with probability 1 − exp(−(external × reach + imitation × local user share) × weeks). The scenarios here keep
/// every other way onto a platform shut (no attention, no streamers, no arrivals, no orders), so the new platform's
/// annual-active users are its adopters (an adoption is an order) and each outcome follows from the rates alone.
/// </summary>
public class AdoptionTests
{
    /// <summary>Two tiers and the flat scenario's platforms a, b, c, plus "n" that nobody uses at the start.</summary>
    private static Scenario NewPlatform(double external, double imitation, int steps, long agents = 60_000, int localitySize = 256)
    {
        var s = TestScenarios.Flat(agents: agents, steps: steps);
        s.Population.Traits.OrdersPerWeek = TestScenarios.Constant(0);
        s.Streamers.Clear();
        s.Behaviour.Attention = 0;
        s.Behaviour.DissatisfiedAttention = 0;
        s.Behaviour.LocalitySize = localitySize;
        var n = new PlatformSpec { Name = "n", Color = "#123456", AdoptionExternal = external, AdoptionImitation = imitation };
        double[] reach = [1.0, 0.5];
        for (int t = 0; t < TestScenarios.FlatTierIds.Length; t++)
        {
            string id = TestScenarios.FlatTierIds[t];
            n.DeliveryDays[id] = 3;
            n.Reach[id] = reach[t];
            n.InitialPenetration[id] = 0;
            s.Tiers[id].NewShoppersMillionsPerYear = 0;
            s.Tiers[id].FirstPlatformMix["n"] = 0;
        }
        s.Platforms["n"] = n;
        Assert.Empty(ScenarioValidator.Validate(s));
        return s;
    }

    private static List<StepMetrics> Run(Scenario s, int threads = 2)
    {
        var sim = new Simulation(new MarketModel(s), threads);
        var list = new List<StepMetrics>();
        while (!sim.Done) list.Add(sim.Step());
        return list;
    }

    /// <summary>The 16-bit probability the engine uses for a step's hazard (thresholds are rounded like every other).</summary>
    private static double Quantised(double hazard) =>
        Math.Round((1 - DeterministicMath.Exp((float)-hazard)) * DecisionTables.One) / DecisionTables.One;

    [Fact]
    public void NoExternalRateAndNoAdopters_NobodyAdopts()
    {
        // Imitation needs someone to imitate: with nobody on the platform and no external rate, it stays empty.
        var steps = Run(NewPlatform(external: 0, imitation: 0.8, steps: 30));
        int n = 3, P = 4;
        foreach (var m in steps)
            for (int t = 0; t < 2; t++) Assert.Equal(0, m.AnnualActive[t * P + n]);
    }

    [Fact]
    public void ExternalRateOnly_AdoptionFollowsOneMinusExpOfRateTimesReachTimesSteps()
    {
        const double p = 0.02;
        const int K = 40;
        var steps = Run(NewPlatform(external: p, imitation: 0, steps: K));
        double[] reach = [1.0, 0.5];
        int n = 3, P = 4;
        foreach (int k in new[] { 4, 19, K - 1 })
            for (int t = 0; t < 2; t++)
            {
                // Adopters after k + 1 steps of a constant per-step probability h: a binomial share 1 − (1 − h)^(k+1).
                double h = Quantised(p * reach[t]);
                double expected = 1 - Math.Pow(1 - h, k + 1);
                long consumers = steps[k].Consumers[t];
                double observed = (double)steps[k].AnnualActive[t * P + n] / consumers;
                double sd = Math.Sqrt(expected * (1 - expected) / consumers);
                Assert.True(Math.Abs(observed - expected) <= 5 * sd,
                    $"tier {t}, step {k}: adopted {observed:F4}, expected {expected:F4} ± {5 * sd:F4}");
            }
        // Reach is the covariate that makes tiers differ: the tier with twice the reach adopts faster.
        Assert.True(steps[10].AnnualActive[n] / (double)steps[10].Consumers[0] > 1.8 * steps[10].AnnualActive[P + n] / steps[10].Consumers[1]);
    }

    [Fact]
    public void ImitationWithThePopulationShare_FollowsTheBassCurveAndPeaksNearLnQOverPOverPPlusQ()
    {
        // One locality per chunk of 16 384 consumers: the share a consumer sees is (nearly) the population's, so the
        // agents follow the discrete-time Bass recursion F' = F + (1 − F) h(p + q F) (Bass 1969's own form): the share
        // is read at the start of the step, as every interaction in the model is.
        // 50 steps: an adopter places no order after its adoption here, so after 52 steps it would stop being annual-active.
        const double p = 0.005, q = 0.1;
        const int K = 50;
        var steps = Run(NewPlatform(external: p, imitation: q, steps: K, agents: 80_000, localitySize: 16384));
        int n = 3, P = 4, t = 0;   // tier t1: reach 1
        long consumers = steps[0].Consumers[t];
        var simulated = steps.Select(m => (double)m.AnnualActive[t * P + n] / consumers).ToArray();

        var bass = new double[K];
        double f = 0;
        for (int k = 0; k < K; k++) { f += (1 - f) * Quantised(p + q * f); bass[k] = f; }
        for (int k = 0; k < K; k++)
        {
            // Binomial noise of a share of 32 000 consumers, plus the chunks' shares differing from the population's.
            double sd = Math.Sqrt(bass[k] * (1 - bass[k]) / consumers);
            Assert.True(Math.Abs(simulated[k] - bass[k]) <= 5 * sd + 0.005,
                $"step {k}: agents {simulated[k]:F4}, Bass recursion {bass[k]:F4}");
        }

        // The peak of adoptions: the continuous curve peaks at t* = ln(q/p)/(p + q) ≈ 28.5 weeks, where F = (q − p)/(2q).
        // Where each curve crosses that level (entry k is the share after k + 1 steps): the agents where the
        // recursion does (Monte-Carlo error), and both about a step after t*, the lag of reading the share once a step.
        double peak = Math.Log(q / p) / (p + q), level = (q - p) / (2 * q);
        double agentsCross = Crossing(simulated, level), recursionCross = Crossing(bass, level);
        Assert.True(Math.Abs(agentsCross - recursionCross) <= 0.5, $"agents cross F* at {agentsCross:F2}, recursion at {recursionCross:F2}");
        Assert.InRange(agentsCross - peak, 0, 2);
        // And imitation is what makes the wave: the external rate alone would have adopted 1 − e^(−0.005 × 50) ≈ 22 %.
        Assert.True(simulated[K - 1] > 0.8, $"adopted {simulated[K - 1]:F3} after {K} steps");
    }

    [Fact]
    public void TrafficLink_RaisesTheTargetsExternalHazard_ForTheSourcesUsers_InItsTiers()
    {
        // Traffic from c to n in tier t1 with share 1: c's users see n at reach 1 + 1, so their step hazard is
        // p × 2 (docs/model.md §3, "traffic acts on p"); in t2 (no link) c's users keep p × 0.5. Consumers annual-active
        // on c throughout are in c's set at every step, so by step k the share of them on n is 1 − (1 − h)^(k+1).
        // Were the clause to act on utility only (the defect this test guards), t1's share would follow p × 1:
        // 18 % against 33 % after 10 steps, 20 standard deviations apart.
        const double p = 0.02, share = 1.0;
        const int K = 10;
        var s = NewPlatform(external: p, imitation: 0, steps: K);
        s.Alliances["cn"] = new AllianceSpec
        {
            Members = ["c", "n"],
            Start = s.Calendar.Start,
            Traffic = [new TrafficSharingSpec { From = "c", To = "n", Share = share, Tiers = ["t1"] }],
        };
        Assert.Empty(ScenarioValidator.Validate(s));
        var steps = Run(s);
        int c = 2, n = 3, P = 4;
        double[] exposedHazard = [p * (1.0 + share), p * 0.5];
        foreach (int k in new[] { 4, K - 1 })
            for (int t = 0; t < 2; t++)
            {
                double expected = 1 - Math.Pow(1 - Quantised(exposedHazard[t]), k + 1);
                long onC = steps[k].AnnualActive[t * P + c];
                double observed = (double)steps[k].Overlap[(t * P + c) * P + n] / onC;
                double sd = Math.Sqrt(expected * (1 - expected) / onC);
                Assert.True(Math.Abs(observed - expected) <= 5 * sd,
                    $"tier {t}, step {k}: c's users on n {observed:F4}, expected {expected:F4} ± {5 * sd:F4}");
            }

        // Without the alliance (the same seed), c's users in t1 adopt at the plain p × 1: the link is what moved them.
        s.Alliances.Clear();
        var plain = Run(s)[K - 1];
        double plainExpected = 1 - Math.Pow(1 - Quantised(p), K);
        long plainOnC = plain.AnnualActive[c];
        double plainObserved = (double)plain.Overlap[c * P + n] / plainOnC;
        Assert.True(Math.Abs(plainObserved - plainExpected) <= 5 * Math.Sqrt(plainExpected * (1 - plainExpected) / plainOnC),
            $"without the link c's users on n {plainObserved:F4}, expected {plainExpected:F4}");
    }

    /// <summary>When (in steps, interpolated) a rising series first reaches <paramref name="level"/>; entry k is at time k + 1.</summary>
    private static double Crossing(double[] series, double level)
    {
        int k = Array.FindIndex(series, x => x >= level);
        Assert.True(k > 0, $"the series never crosses {level}");
        return k + (level - series[k - 1]) / (series[k] - series[k - 1]);
    }

    [Fact]
    public void Imitation_ActsThroughTheLocalShare_NotTheGlobalOne()
    {
        // Localities of 8 consumers: the wave cannot leave a locality except through the external rate, and adopters
        // cluster, so non-adopters see fewer adopters than the population share: diffusion is far slower than where
        // everyone sees everyone. (Were the population share used, the two runs would agree within noise.)
        var small = Run(NewPlatform(external: 0.005, imitation: 0.9, steps: 12, localitySize: 8));
        var large = Run(NewPlatform(external: 0.005, imitation: 0.9, steps: 12, localitySize: 16384));
        int n = 3;
        double Share(List<StepMetrics> run, int k) => (double)run[k].AnnualActive[n] / run[k].Consumers[0];
        Assert.True(Share(small, 11) < 0.5 * Share(large, 11), $"step 11: small localities {Share(small, 11):F4}, one locality {Share(large, 11):F4}");
    }

    [Fact]
    public void Affinity_CohortsWhoseTraitsFavourThePlatformAdoptItFirst()
    {
        // Kuaishou in the small scenario: few users at the start, sorted by traits (content affinity, price). Its
        // non-users adopt at a rate thinned by their cohort's affinity, the cohort's initial probability of using it
        // relative to the tier's most inclined cohort: the most inclined tenth of cohorts adopts several times faster.
        var s = TestScenarios.Small(agents: 60_000, steps: 8);
        s.Behaviour.Attention = 0;
        s.Behaviour.DissatisfiedAttention = 0;
        s.Streamers.Clear();
        foreach (var t in s.Tiers.Values) t.NewShoppersMillionsPerYear = 0;
        s.Platforms["kuaishou"].AdoptionExternal = 0.05;
        var sim = new Simulation(new MarketModel(s), threads: 2);
        int k = s.Platforms.Keys.ToList().IndexOf("kuaishou");
        int C = sim.Model.Cohorts.Count;
        // Per cohort (tier 0): share using Kuaishou at the start (the affinity's basis), non-users, and later adopters.
        var used = new int[C]; var total = new int[C]; var nonUsers = new int[C]; var adopters = new int[C];
        var chunks = sim.Chunks.Where(ch => ch.Tier == 0).ToList();
        var before = chunks.Select(ch => ch.Set.Take(ch.Arrived).ToArray()).ToList();
        while (!sim.Done) sim.Step();
        for (int j = 0; j < chunks.Count; j++)
            for (int i = 0; i < before[j].Length; i++)
            {
                int c = chunks[j].Cohort[i];
                total[c]++;
                if ((before[j][i] >> k & 1) != 0) { used[c]++; continue; }
                nonUsers[c]++;
                if ((chunks[j].Set[i] >> k & 1) != 0) adopters[c]++;
            }
        var byInclination = Enumerable.Range(0, C).Where(c => total[c] > 0).OrderBy(c => (double)used[c] / total[c]).ToList();
        int tenth = byInclination.Count / 10;
        double Rate(IEnumerable<int> cohorts) => cohorts.Sum(c => adopters[c]) / (double)cohorts.Sum(c => nonUsers[c]);
        double low = Rate(byInclination.Take(tenth)), high = Rate(byInclination.TakeLast(tenth));
        Assert.True(high > 3 * low, $"most inclined tenth adopts {high:F4} of its non-users, least inclined {low:F4}");
    }

    [Fact]
    public void RateOnAPlatformEverybodyUses_ChangesNothing()
    {
        // Everybody uses platform a from the start and nobody can drop it within the run (inactivity 200 weeks), so an
        // adoption rate on a adopts nothing: it only sends the agents whose attention draw falls in its range through
        // the scalar loop instead of the eight-agent blocks. Both runs must be the same, step by step.
        Scenario Build(double rate)
        {
            var s = TestScenarios.Flat(agents: 20_000, steps: 20);
            s.Behaviour.InactivityWeeks = 200;
            foreach (var t in TestScenarios.FlatTierIds)
            {
                s.Platforms["a"].InitialPenetration[t] = 1;
                s.Tiers[t].NewShoppersMillionsPerYear = 0;   // an arrival may start without a
            }
            s.Platforms["a"].AdoptionExternal = rate;
            return s;
        }
        Assert.Equal(Digest(Run(Build(0))), Digest(Run(Build(0.5))));
    }

    [Fact]
    public void AdoptionAtAnyThreadCount_IsTheSame()
    {
        var s = NewPlatform(external: 0.01, imitation: 0.4, steps: 15, localitySize: 4);
        Assert.Equal(Digest(Run(s, threads: 1)), Digest(Run(s, threads: 2)));
    }

    [Fact]
    public void CountUsers_VectorAndPortableAgree()
    {
        var random = new Random(5);
        foreach (int length in new[] { 0, 1, 31, 32, 33, 100, 256, 1000 })
        {
            var sets = new byte[length];
            random.NextBytes(sets);
            for (int platforms = 1; platforms <= 8; platforms++)
            {
                var vector = new int[platforms];
                var portable = new int[platforms];
                Simulation.CountUsers(sets, vector);
                Simulation.CountUsersPortable(sets, portable);
                var expected = new int[platforms];
                foreach (byte b in sets) for (int p = 0; p < platforms; p++) if ((b & (1 << p)) != 0) expected[p]++;
                Assert.Equal(expected, portable);
                Assert.Equal(expected, vector);
            }
        }
    }

    [Fact]
    public void Validator_RefusesRatesThatCannotFitOneDraw()
    {
        var s = NewPlatform(external: 0.5, imitation: 0.4, steps: 5);
        s.Platforms["a"].AdoptionImitation = 0.2;
        var issue = Assert.Single(ScenarioValidator.Validate(s));
        // Named at the largest term (external 0.5) of the largest platform (n): the value most likely set too high.
        Assert.Equal("platforms.n.adoption_external", issue.Path);
        Assert.Contains("1.1 a step, expected at most 1", issue.Message);
        s.Platforms["a"].AdoptionImitation = 0.1;
        Assert.Empty(ScenarioValidator.Validate(s));
    }

    private static string Digest(List<StepMetrics> steps) =>
        string.Join(";", steps.Select(m => string.Join(",", m.AnnualActive) + "|" + string.Join(",", m.GmvFen) + "|" + string.Join(",", m.Primary) + "|" + string.Join(",", m.Flows)));
}
