using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>The shipped scenarios, run small in-process: they load, and the alliance acts only from its start.</summary>
public class DefaultScenarioTests
{
    private static List<StepMetrics> Run(string file, int steps, double? attention = null, double? switchingCost = null) =>
        RunFile(MarketSimProcess.Scenario(file), steps, attention, switchingCost);

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

    /// <summary>
    /// A short run of the default from 31 December 2018 (the default starts in June 2017): it reaches the alliance's
    /// 27 May 2020 in 75 steps; the data-given state is read as of that date, which these tests do not mind.
    /// </summary>
    private static List<StepMetrics> RunFile(string path, int steps, double? attention = null, double? switchingCost = null)
    {
        var overrides = new Dictionary<string, string>
        {
            ["population.agents"] = "40000",
            ["calendar.steps"] = steps.ToString(),
            ["calendar.start"] = "2018-12-31",
        };
        if (attention is { } a) overrides["behaviour.attention"] = a.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The default re-evaluates among the platforms in use only (switching_cost 50); a test of re-evaluation's choice
        // gives it a switching cost at which a choice can reach another platform.
        if (switchingCost is { } c) overrides["behaviour.switching_cost"] = c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var loaded = ScenarioLoader.Load(path, overrides);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var sim = new Simulation(new MarketModel(loaded.Scenario!), 2);
        var result = new List<StepMetrics>();
        while (!sim.Done) result.Add(sim.Step());
        return result;
    }

    private static readonly int[] LowerTiers = [2, 3, 4, 5], UpperTiers = [0, 1];

    private static long Sum(StepMetrics m, long[] values, int platform, int[] tiers) => tiers.Sum(t => values[m.At(t, platform)]);

    /// <summary>
    /// An alliance whose only clause is traffic from Kuaishou to JD in t3–t6, share 0.9, from 4 March 2019 (step 9 from the 31 December 2018 start).
    /// For a consumer using Kuaishou there, JD's reach r becomes 1 − (1 − r)(1 − 0.9), so JD's weight in a
    /// re-evaluation is multiplied by g = (1 − (1 − r)·0.1) / r, and nothing else changes. A probability
    /// g·w / (g·w + rest) is at most g times w / (w + rest), so the expected extra JD choices are at most (g − 1) times
    /// the baseline's JD choices by exposed consumers, themselves fewer than all of JD's new users in t3–t6: JD's gain is
    /// bounded by (g_max − 1) × the baseline's JD new users there since the start (×2 for word of mouth feeding back and
    /// noise). Tiers 1–2 see no change at all: their agents, tables and localities are their own.
    /// </summary>
    [Fact]
    public void TrafficKuaishouToJdInLowerTiers_JdGainsThereOnly_SwitchesFromKuaishouRise_WithinTheReachBound()
    {
        string folder = CliProcess.NewTempFolder();
        string path = Path.Combine(folder, "traffic.yaml");
        const double share = 0.9;
        File.WriteAllText(path, $"extends: {MarketSimProcess.Scenario("baseline.yaml")}\nname: traffic-only\n" +
            "alliances:\n  traffic-only:\n    members: [jd, kuaishou]\n    start: 2019-03-04\n" +
            $"    traffic:\n      - {{from: kuaishou, to: jd, share: {share.ToString(System.Globalization.CultureInfo.InvariantCulture)}, tiers: [t3, t4, t5, t6]}}\n");
        const int steps = 60, start = 9, jd = 1, kuaishou = 3;
        // Consumers re-evaluate weekly with probability 0.1 instead of the calibrated 0.0145: at the calibrated pace 40 000
        // agents make about 20 Kuaishou → JD switches in t3–t6 over the 51 weeks, too few for the clause's size to stand
        // out of single agents. The bound below does not depend on the pace.
        const double attention = 0.1;
        var baseline = Run("baseline.yaml", steps, attention, switchingCost: 1.5);
        var alliance = RunFile(path, steps, attention, switchingCost: 1.5);
        Assert.Equal(new DateOnly(2019, 3, 4), alliance[start].Date);

        for (int k = 0; k < steps; k++)
        {
            var (b, a) = (baseline[k], alliance[k]);
            if (k < start)
            {
                // Before the start: every figure, bit for bit.
                foreach (var (x, y) in new[] { (b.Consumers, a.Consumers), (b.AnnualActive, a.AnnualActive), (b.PeriodActive, a.PeriodActive),
                             (b.Primary, a.Primary), (b.New, a.New), (b.Churned, a.Churned), (b.SwitchedIn, a.SwitchedIn), (b.SwitchedOut, a.SwitchedOut),
                             (b.GmvFen, a.GmvFen), (b.SuppliedGmvFen, a.SuppliedGmvFen), (b.Flows, a.Flows), (b.Overlap, a.Overlap) })
                    Assert.Equal(x, y);
                continue;
            }
            // Tiers 1 and 2 never differ, at any step, on any platform.
            foreach (int t in UpperTiers)
                for (int p = 0; p < b.Platforms; p++)
                {
                    Assert.Equal(b.AnnualActive[b.At(t, p)], a.AnnualActive[a.At(t, p)]);
                    Assert.Equal(b.Primary[b.At(t, p)], a.Primary[a.At(t, p)]);
                    Assert.Equal(b.GmvFen[b.At(t, p)], a.GmvFen[a.At(t, p)]);
                }
        }

        var reach = ScenarioLoader.Load(MarketSimProcess.Scenario("baseline.yaml")).Scenario!.Platforms["jd"].Reach;
        double gMax = new[] { "t3", "t4", "t5", "t6" }.Max(t => (1 - (1 - reach[t]) * (1 - share)) / reach[t]);
        var (bl, al) = (baseline[^1], alliance[^1]);
        long jdGain = Sum(al, al.AnnualActive, jd, LowerTiers) - Sum(bl, bl.AnnualActive, jd, LowerTiers);
        long baselineJdNew = baseline.Skip(start).Sum(m => Sum(m, m.New, jd, LowerTiers));
        double bound = 2 * (gMax - 1) * baselineJdNew;
        Assert.True(jdGain > 0, $"JD's annual-active users in t3–t6 do not rise: {jdGain}");
        Assert.True(jdGain <= bound, $"JD gains {jdGain} in t3–t6, more than the reach bound {bound:0} (g ≤ {gMax:0.###}, baseline JD new users {baselineJdNew})");
        // The clause's size, not a stray agent: at least a tenth of a per cent of JD's users there (≈ 14 agents here).
        Assert.True(jdGain > 0.001 * Sum(bl, bl.AnnualActive, jd, LowerTiers), $"JD's gain {jdGain} is too small to be the clause");

        // Exposed consumers (those using Kuaishou) choose JD as primary more often: switches from Kuaishou to JD rise, JD's
        // primary users rise on average over the alliance's steps (single steps carry the choices' noise), and whatever
        // Kuaishou loses as a primary platform is at most what JD gains, since raising JD's weight moves choices toward JD
        // only. Kuaishou's own primary users are too few here to show a fall of their own: most consumers using Kuaishou
        // shop mainly elsewhere (at attention 0.1 its switches to JD were 33 against 29).
        long Flow(List<StepMetrics> run) => run.Sum(m => LowerTiers.Sum(t => m.Flows[m.At(t, kuaishou, jd)]));
        Assert.True(Flow(alliance) > Flow(baseline), $"Kuaishou → JD switches in t3–t6: {Flow(alliance)} with the traffic, {Flow(baseline)} without");
        var during = Enumerable.Range(start, steps - start).ToList();
        double kuaishouLoss = during.Average(k => (double)Sum(baseline[k], baseline[k].Primary, kuaishou, LowerTiers) - Sum(alliance[k], alliance[k].Primary, kuaishou, LowerTiers));
        double jdPrimaryGain = during.Average(k => (double)Sum(alliance[k], alliance[k].Primary, jd, LowerTiers) - Sum(baseline[k], baseline[k].Primary, jd, LowerTiers));
        Assert.True(jdPrimaryGain > 0, $"JD's primary users in t3–t6 do not rise: {jdPrimaryGain:0.#} on average");
        Assert.True(kuaishouLoss <= jdPrimaryGain, $"Kuaishou loses {kuaishouLoss:0.#} primary users on average, JD gains only {jdPrimaryGain:0.#}");
    }

    [Fact]
    public void Baseline_PlatformIdsAreInTheOrderTheTestsAssume()
    {
        var loaded = ScenarioLoader.Load(MarketSimProcess.Scenario("baseline.yaml"));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        Assert.Equal(["taobao", "jd", "pdd", "kuaishou", "douyin", "other"], loaded.Scenario!.Platforms.Keys);
    }
}
